// Compiles src/ into a build of the test's own (under node_modules/.cache), so a test that runs the compiled bot
// never reads dist/ while another test file or `npm start` rewrites it. The folder sits two levels below a
// `cards` link to the repo's cards/, where the compiled card loader looks for its templates (../../cards), and
// below the repo's node_modules, so packages resolve as they do from dist/.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from './start-bot-process.js';

/** Builds (incrementally) and returns the path of the compiled main.js. */
export async function buildPrivateDist(name: string, timeoutMs = 240_000): Promise<string> {
  const base = join(REPO_ROOT, 'node_modules', '.cache', name);
  const outDir = join(base, 'dist');
  await mkdir(outDir, { recursive: true });
  if (!existsSync(join(base, 'cards'))) await symlink(join(REPO_ROOT, 'cards'), join(base, 'cards'), 'dir');
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--tsBuildInfoFile', join(outDir, '.tsbuildinfo')];
  const failure = await new Promise<string | null>((resolve) => {
    execFile(process.execPath, args, { cwd: REPO_ROOT, timeout: timeoutMs }, (err, stdout, stderr) =>
      resolve(err ? `${err.message}\n${stdout}\n${stderr}` : null),
    );
  });
  if (failure !== null) throw new Error(`building ${outDir} failed:\n${failure}`);
  return join(outDir, 'main.js');
}
