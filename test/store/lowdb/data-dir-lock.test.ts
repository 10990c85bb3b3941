// One owner per ledger directory: a second opener (another process or this one) is refused with the
// owner's pid, a killed owner never blocks the next start, and the control channel answers only its owner's
// token holders.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, symlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors.js';
import { askDataDirOwner } from '../../../src/store/lowdb/ask-data-dir-owner.js';
import { askLockHolder } from '../../../src/store/lowdb/ask-lock-holder.js';
import { lockDataDir } from '../../../src/store/lowdb/data-dir-lock.js';
import { lockAddress } from '../../../src/store/lowdb/lock-address.js';
import { openLowdbSeatStore } from '../../../src/store/lowdb/lowdb-seat-store.js';
import { tempDir } from '../store-test-kit.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Child {
  process: ChildProcess;
  acked: Set<number>;
  stderr: () => string;
  /** Resolves when a stdout line matches. */
  waitFor: (test: (line: string) => boolean) => Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const acked = new Set<number>();
  const lines: string[] = [];
  const waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let buffered = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const l of parts) {
      lines.push(l);
      if (l.startsWith('ack ')) acked.add(Number(l.slice(4)));
      for (const w of waiters.filter((w) => w.test(l))) w.resolve(l);
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (test: (l: string) => boolean): Promise<string> => {
    const seen = lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return Promise.race([
      new Promise<string>((resolve) => waiters.push({ test, resolve })),
      exit.then(({ code, signal }) => {
        throw new Error(`${script} exited (${String(code)}/${String(signal)}) first: ${stderr}`);
      }),
    ]);
  };
  return { process: child, acked, stderr: () => stderr, waitFor, exit };
}

describe('one owner per ledger directory', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const dirForTest = async (): Promise<string> => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    return dir;
  };
  const track = (child: Child): Child => {
    cleanups.push(async () => {
      if (child.process.exitCode === null && child.process.signalCode === null) {
        child.process.kill('SIGKILL');
        await child.exit;
      }
    });
    return child;
  };

  it('refuses a second process while the owner writes, loses nothing, and frees the lock when the owner is SIGKILLed', async () => {
    const dir = await dirForTest();
    const owner = track(start('test/support/crash-writer.ts', [dir, 'plain']));
    await owner.waitFor((l) => l === 'ack 50');

    // A second writer process on the same directory: refused before it reads or writes anything.
    const second = track(start('test/support/crash-writer.ts', [dir, 'plain']));
    const { code } = await second.exit;
    expect(code).not.toBe(0);
    expect(second.acked.size).toBe(0);
    expect(second.stderr()).toContain(`is in use by another license-bot process (pid ${String(owner.process.pid)}, store, since`);

    // And this process too, with the stable code and the owner's pid.
    const refused = await openLowdbSeatStore({ dir }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe('STORE_LOCKED');
    expect((refused as StoreError).message).toContain(`pid ${String(owner.process.pid)}`);

    await owner.waitFor((l) => l === 'ack 300');
    owner.process.kill('SIGKILL');
    await owner.exit;
    const acked = [...owner.acked];

    // The kernel released the lock with the process: the next start opens at once, with every ack.
    const store = await openLowdbSeatStore({ dir });
    try {
      const view = store.read();
      expect(acked.filter((n) => !view.assignment(`seat-${n}`))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses a second open in the same process, also through a symlink, until the first is closed', async () => {
    const dir = await dirForTest();
    const link = `${dir}-link`;
    await symlink(dir, link);
    cleanups.push(async () => (await import('node:fs/promises')).rm(link, { force: true }));
    const first = await openLowdbSeatStore({ dir, role: 'bot' });
    await expect(openLowdbSeatStore({ dir })).rejects.toMatchObject({ code: 'STORE_LOCKED', message: expect.stringContaining(`pid ${process.pid}, bot,`) });
    await expect(openLowdbSeatStore({ dir: link })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    await first.close();
    const again = await openLowdbSeatStore({ dir: link });
    await again.close();
  });

  it('a refused open leaves the files as they were', async () => {
    const dir = await dirForTest();
    const first = await openLowdbSeatStore({ dir });
    await first.update(() => ({ changes: [], result: null }));
    const before = await readFile(join(dir, 'ledger.journal'));
    await expect(openLowdbSeatStore({ dir })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    expect(await readFile(join(dir, 'ledger.journal'))).toEqual(before);
    await first.close();
  });

  it('takes over a socket file left by a SIGKILLed owner where the kernel does not free it (macOS)', async () => {
    const dir = await dirForTest();
    const owner = track(start('test/support/hold-lock.ts', [dir, 'darwin']));
    await owner.waitFor((l) => l.startsWith('locked '));
    await expect(lockDataDir(dir, { role: 'second', platform: 'darwin' })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      message: expect.stringContaining(`pid ${String(owner.process.pid)}, lock-test,`),
    });
    owner.process.kill('SIGKILL');
    await owner.exit;
    const lock = await lockDataDir(dir, { role: 'second', platform: 'darwin' });
    expect(lock.address.kernelReleased).toBe(false);
    await lock.release();
  });

  it('serves operations only to callers holding the control token', async () => {
    const dir = await dirForTest();
    expect(await askDataDirOwner(dir, 'echo', { a: 1 }, 2000)).toBeNull(); // nobody owns it yet
    const owner = track(start('test/support/hold-lock.ts', [dir]));
    await owner.waitFor((l) => l.startsWith('locked '));
    const { path } = lockAddress((await import('node:fs')).realpathSync(dir));

    const who = await askLockHolder(path, { op: 'whoami' });
    expect(who).toMatchObject({ ok: true, holder: { pid: owner.process.pid, role: 'lock-test' } });
    expect(await askLockHolder(path, { op: 'echo', args: 1 })).toMatchObject({ ok: false, code: 'LOCK_FORBIDDEN' });
    expect(await askLockHolder(path, { op: 'echo', token: 'x'.repeat(64), args: 1 })).toMatchObject({ ok: false, code: 'LOCK_FORBIDDEN' });
    expect(await askDataDirOwner(dir, 'echo', { a: 1 }, 2000)).toEqual({ holder: expect.objectContaining({ pid: owner.process.pid }), result: { a: 1 } });
    await expect(askDataDirOwner(dir, 'format-disk', null, 2000)).rejects.toMatchObject({ code: 'LOCK_UNKNOWN_OP' });

    // Garbage and an endless request line get a refusal, not a hang or a crash.
    expect(await askLockHolder(path, { op: '' })).toMatchObject({ ok: false, code: 'LOCK_BAD_REQUEST' });
    const endless = await new Promise<string>((resolve) => {
      const socket = connect(path);
      let answer = '';
      socket.on('data', (d: Buffer) => (answer += d.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => undefined);
      socket.write('x'.repeat(70 * 1024));
    });
    expect(endless).toContain('LOCK_BAD_REQUEST');
    expect(await askLockHolder(path, { op: 'whoami' })).toMatchObject({ ok: true }); // still serving
  });
});
