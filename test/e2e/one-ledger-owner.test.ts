// The real bot (sandbox mode, as `npm start` runs it) owns its DATA_DIR: a second bot on the same directory is
// refused naming the first one's pid, `npm run sync` asks the running bot to sync instead of opening the
// ledger itself, and the ledger opens cleanly afterwards.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { freePortPair, startAppProcess, type AppProcess } from '../support/start-app-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function run(script: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

describe('one bot per DATA_DIR', () => {
  let dataDir: string;
  let bot: AppProcess;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'one-owner-'));
    bot = await startAppProcess({ dataDir, readyTimeoutMs: 60_000 });
    // The startup sync must be over, so the CLI's request below is the only one running.
    await bot.waitForLog((l) => typeof l.msg === 'string' && /synced|sync/i.test(l.msg) && 'status' in l, 60_000);
  }, 90_000);
  afterAll(async () => {
    await bot.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second bot on the same directory, naming the running one', async () => {
    const port = await freePortPair();
    const second = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: ROOT,
        env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, PORT: String(port), DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => {
        clearTimeout(killer);
        resolve({ code, output });
      });
    });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`in use by another license-bot process (pid ${String(bot.pid)}, bot, since`);
    expect(second.output).not.toContain('license-bot ready');
  }, 40_000);

  it('`npm run sync` asks the running bot to sync instead of opening the ledger', async () => {
    const result = await run('src/sync-cli.ts', ['--dry-run'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    expect(result.stderr).toContain(`asked the running bot (pid ${String(bot.pid)})`);
    const report = JSON.parse(result.stdout) as { status: string; dryRun: boolean; vendors: { vendor: string; status: string }[] };
    expect(report.dryRun).toBe(true);
    expect(report.vendors.map((v) => v.vendor).sort()).toEqual(['cpod', 'meraki', 'webex', 'zoho_crm']);
    expect(result.code).toBe(report.status === 'ok' ? 0 : 1);
    // The bot still owns and serves the ledger.
    await expect(openLowdbSeatStore({ dir: dataDir })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
  }, 60_000);

  it('after the bot stops, the ledger opens cleanly and the CLI syncs on its own', async () => {
    await bot.stop();
    const store = await openLowdbSeatStore({ dir: dataDir });
    expect(Object.keys(store.read().data.syncRuns).length).toBeGreaterThan(0);
    await store.close();
    const result = await run('src/sync-cli.ts', [], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    expect(result.stderr).toContain('no vendor is configured');
    expect(result.code).toBe(2);
  }, 30_000);
});
