// `npm start` as systemd or a container runtime runs it: SIGTERM goes to the npm process, and the bot (one
// node process under npm, no tsx wrapper) must drain, flush the ledger, free its ports and be gone in 10 s.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { freePortPair } from '../support/start-app-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('builds, runs the bot as one process, and on SIGTERM to npm drains, flushes and frees its ports within 10 s', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'npm-start-'));
    dirs.push(dataDir);
    const port = await freePortPair();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    delete env['WEBEX_TOKEN'];
    const npm = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const lines: Record<string, unknown>[] = [];
    npm.stderr.on('data', (d: Buffer) => (output += d.toString()));
    npm.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      for (const l of d.toString().split('\n')) {
        try {
          lines.push(JSON.parse(l) as Record<string, unknown>);
        } catch {
          // a partial or plain line
        }
      }
    });
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    const waitFor = async (test: (l: Record<string, unknown>) => boolean, ms: number): Promise<Record<string, unknown>> => {
      const deadline = performance.now() + ms;
      for (;;) {
        const hit = lines.find(test);
        if (hit) return hit;
        if (npm.exitCode !== null || performance.now() > deadline) throw new Error(`no such log line; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      const ready = await waitFor((l) => typeof l['msg'] === 'string' && l['msg'].startsWith('license-bot ready (sandbox)'), 120_000);
      const botPid = ready['pid'] as number;
      expect(typeof botPid).toBe('number');
      // One process: the bot is npm's own child (no shell or tsx wrapper in between to orphan it).
      const stat = await readFile(`/proc/${botPid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      expect(parent).toBe(npm.pid);
      await waitFor((l) => l['msg'] === 'Synced Webex, Meraki, Zoho CRM, cPod', 30_000);

      const sent = performance.now();
      npm.kill('SIGTERM');
      const code = await exited;
      for (let i = 0; i < 100 && alive(botPid); i++) await new Promise((r) => setTimeout(r, 100));
      const took = performance.now() - sent;
      expect(alive(botPid)).toBe(false);
      expect(took).toBeLessThan(10_000);
      expect(code).toBe(0);
      expect(await canListen(port)).toBe(true);
      expect(await canListen(port + 1)).toBe(true);
      expect(output).toContain('"msg":"stopped"');
    } finally {
      if (npm.exitCode === null) npm.kill('SIGKILL');
    }
    // Flushed and unlocked: the ledger opens at once and holds the startup sync.
    const store = await openLowdbSeatStore({ dir: dataDir });
    expect(Object.values(store.read().data.syncRuns).map((r) => r.vendor).sort()).toEqual(['cpod', 'meraki', 'webex', 'zoho_crm']);
    await store.close();
  }, 180_000);
});
