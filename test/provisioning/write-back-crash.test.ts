// SIGKILLs a process between committing an approval and carrying out its provisioning intent (before the vendor
// call, and after it but before recording it); a fresh process's worker then makes it exactly one effective add.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { createProvisioningWorker } from '../../src/provisioning/provisioning-worker.js';
import { createWebexLicenseWriter } from '../../src/sync/vendors/webex/webex-license-writer.js';
import { startWebexLicensesEmulator, type WebexLicensesEmulator } from '../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'webex-admin-token-crash-test';

/** Runs the child until it printed `until`, then SIGKILLs it; resolves with the seat id it committed. */
function runAndKill(args: string[], until: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-provisioner.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let seat = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /committed (\S+)/.exec(out);
      if (m) seat = m[1]!;
      if (!killed && out.includes(until)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' && killed ? resolve(seat) : reject(new Error(`crash provisioner exited early (${String(signal)}): ${err}`))));
  });
}

describe('write-back crash safety (SIGKILL)', () => {
  let emu: WebexLicensesEmulator | null = null;
  const dirs: string[] = [];
  afterEach(async () => {
    await emu?.close();
    emu = null;
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it.each(['before-call', 'after-call'] as const)('killed %s: after the restart exactly one add is effective', async (mode) => {
    emu = await startWebexLicensesEmulator({ token: TOKEN });
    const licenseId = emu.data.licenses[0]!.id;
    const dir = await mkdtemp(join(tmpdir(), 'wb-crash-'));
    dirs.push(dir);
    const seatId = await runAndKill([dir, emu.url, TOKEN, licenseId, mode], mode === 'before-call' ? 'committed' : 'called');
    expect(emu.writes.filter((w) => w.changed)).toHaveLength(mode === 'before-call' ? 0 : 1);

    const store = await openLowdbSeatStore({ dir });
    try {
      expect(store.read().provisionsOf(seatId).at(-1)).toMatchObject({ op: 'add', status: 'queued' });
      const logger = createLogger({ level: 'silent' });
      const worker = createProvisioningWorker({
        store,
        clock: systemClock,
        logger,
        writers: [createWebexLicenseWriter({ baseUrl: emu.url, token: TOKEN, fetch: globalThis.fetch, logger })],
        settings: { vendors: ['webex'], dryRun: false, maxRemovalsPerHour: 20 },
      });
      await worker.drain();
      await worker.stop();
      expect(store.read().provisionsOf(seatId).at(-1)).toMatchObject({ status: 'done' });
      expect(emu.writes.filter((w) => w.changed && w.email === 'cy@example.com')).toHaveLength(1);
      expect(emu.data.licenses[0]!.users.filter((u) => u.email === 'cy@example.com')).toHaveLength(1);
    } finally {
      await store.close();
    }
  }, 60_000);
});
