// Child process for the lock tests: takes the lock of <dir> (on <platform>, default this one), prints
// `locked <pid>`, serves `echo`, and holds the lock until killed.
import { lockDataDir } from '../../src/store/lowdb/data-dir-lock.js';

const [dir, platform] = process.argv.slice(2);
if (!dir) throw new Error('usage: hold-lock <dir> [platform]');
const lock = await lockDataDir(dir, { role: 'lock-test', ...(platform ? { platform: platform as NodeJS.Platform } : {}) });
lock.serve('echo', (args) => Promise.resolve(args));
process.stdout.write(`locked ${process.pid}\n`);
setInterval(() => undefined, 60_000); // the lock's socket is unref'd: stay alive until killed
