import { describe, expect, it } from 'vitest';
import { createIntakeQueue } from '../../src/webex/intake-queue.js';

function gated() {
  const started: number[] = [];
  const release = new Map<number, () => void>();
  const errors: unknown[] = [];
  const run = (n: number): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      started.push(n);
      release.set(n, () => (n < 0 ? reject(new Error(`item ${n} failed`)) : resolve()));
    });
  return { started, release, errors, onError: (err: unknown) => errors.push(err), run };
}

describe('createIntakeQueue', () => {
  it('runs at most `concurrency` items, queues up to the cap, refuses past it, and drains in order', async () => {
    const g = gated();
    const q = createIntakeQueue<number>({
      concurrency: 2,
      maxQueued: 3,
      maxQueuedBytes: 1_000,
      run: g.run,
      onError: g.onError,
    });
    const offered = [1, 2, 3, 4, 5, 6, 7].map((n) => q.offer(n, 10));
    expect(offered).toEqual([true, true, true, true, true, false, false]);
    await Promise.resolve();
    expect(g.started).toEqual([1, 2]);
    expect(q.stats).toEqual({
      running: 2,
      queued: 3,
      queuedBytes: 30,
      peakQueued: 3,
      accepted: 5,
      refused: 2,
    });
    let drained = false;
    const done = q.drain().then(() => (drained = true));
    g.release.get(1)!();
    await new Promise((r) => setImmediate(r));
    expect(g.started).toEqual([1, 2, 3]);
    // A slot freed: room for one more again.
    expect(q.offer(8, 10)).toBe(true);
    for (const n of [2, 3, 4, 5, 8]) {
      await new Promise((r) => setImmediate(r));
      g.release.get(n)!();
    }
    await done;
    expect(drained).toBe(true);
    expect(g.started).toEqual([1, 2, 3, 4, 5, 8]);
    expect(q.stats).toMatchObject({ running: 0, queued: 0, queuedBytes: 0, accepted: 6, refused: 2 });
  });

  it('bounds the waiting bytes as well as the count, and passes a failing item to onError', async () => {
    const g = gated();
    const q = createIntakeQueue<number>({
      concurrency: 1,
      maxQueued: 100,
      maxQueuedBytes: 2_048,
      run: g.run,
      onError: g.onError,
    });
    expect(q.offer(-1, 60_000)).toBe(true); // a free slot takes any size at once
    expect(q.offer(2, 1_024)).toBe(true);
    expect(q.offer(3, 1_024)).toBe(true);
    expect(q.offer(4, 1)).toBe(false);
    await Promise.resolve();
    g.release.get(-1)!();
    await new Promise((r) => setImmediate(r));
    expect(g.errors).toEqual([new Error('item -1 failed')]);
    expect(q.stats).toMatchObject({ running: 1, queued: 1, queuedBytes: 1_024 });
  });
});
