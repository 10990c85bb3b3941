// Kills a writer process mid-stream with SIGKILL and checks that every acknowledged mutation survived.
import { spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openLowdbSeatStore } from '../../../src/store/lowdb/lowdb-seat-store.js';
import { seedLedger } from '../ledger-fixtures.js';
import { tempDir } from '../store-test-kit.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs the crash writer until it has acknowledged `acks` mutations (and compacted `compactions` times). */
function runAndKill(dir: string, mode: 'plain' | 'compact', acks: number, compactions = 0): Promise<Set<number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-writer.ts', dir, mode], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked = new Set<number>();
    let compacted = 0;
    let buffered = '';
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (killed) return; // output after the kill was sent is not counted
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('ack ')) acked.add(Number(l.slice(4)));
        else if (l === 'compacted') compacted++;
      }
      if (acked.size >= acks && compacted >= compactions) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL' && killed) resolve(acked);
      else reject(new Error(`crash writer exited early (${String(signal)}): ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  const check = async (dir: string, acked: Set<number>): Promise<void> => {
    const store = await openLowdbSeatStore({ dir });
    try {
      const view = store.read();
      const missing = [...acked].filter((n) => !view.assignment(`seat-${n}`) || !view.idempotency(`req-${n}`));
      expect(missing).toEqual([]);
      const audit = view.data.audit.map((e) => e.id);
      expect(new Set(audit).size).toBe(audit.length);
      for (const n of acked) expect(audit).toContain(`audit-${n}`);
      // Every seat in the ledger came with its audit event: nothing half-applied.
      expect(audit.length).toBe(Object.keys(view.data.assignments).filter((id) => id.startsWith('seat-') && view.assignment(id)?.status === 'pending').length);
    } finally {
      await store.close();
    }
  };

  it.each([30, 400])('keeps every mutation acknowledged before a SIGKILL after %i acks', async (acks) => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const acked = await runAndKill(dir, 'plain', acks);
    expect(acked.size).toBeGreaterThanOrEqual(acks);
    await check(dir, acked);
  });

  it.each([1, 3])('keeps every acknowledged mutation when killed during compaction (after %i compactions)', async (compactions) => {
    // Retried a few times until the kill provably lands mid-snapshot (its temp file is left behind).
    let midCompaction = false;
    for (let attempt = 0; attempt < 15 && !midCompaction; attempt++) {
      const { dir, cleanup } = await tempDir();
      cleanups.push(cleanup);
      // A seeded ledger makes each snapshot take many slices, so the kill lands inside one.
      await writeFile(join(dir, 'ledger.json'), JSON.stringify({ ...seedLedger(3000), journalSeq: 0 }));
      const acked = await runAndKill(dir, 'compact', 200, compactions);
      midCompaction = (await readdir(dir)).includes('.ledger.json.tmp');
      await check(dir, acked);
    }
    expect(midCompaction).toBe(true);
  });
});
