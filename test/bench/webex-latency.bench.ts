// Latency from webhook delivery to the reply being accepted by (fake) Webex, with the Webex SDK's default
// people-batcher wait (100 ms) versus the adapter's lowered wait, in the same run (webex-platform.md 7.9).
import type { ChatHandler, Outbox, Reply } from '../../src/bot/chat-event.js';
import { ALICE, startFakeWebexHarness } from '../support/fake-webex-harness.js';

export const name = 'webex-latency';

const SDK_DEFAULT_BATCHER_WAIT_MS = 100;
const OUR_BATCHER_WAIT_MS = 5;

export interface LatencyStats {
  batcherWaitMs: number;
  samples: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

async function measure(batcherWaitMs: number, samples: number, warmup: number): Promise<LatencyStats> {
  const echo: ChatHandler = {
    handle: (e) =>
      Promise.resolve(
        e.kind === 'message' ? [{ to: { roomId: e.roomId }, markdown: `echo: ${e.text}` }] : [],
      ),
  };
  // Each reply is timed when the send queue has Webex's answer for it.
  const waiters = new Map<string, (at: number) => void>();
  const timing = (inner: Outbox): Outbox => ({
    async send(replies: readonly Reply[]) {
      await inner.send(replies);
      const at = performance.now();
      for (const r of replies) waiters.get(r.markdown)?.(at);
    },
  });
  const h = await startFakeWebexHarness({
    handler: echo,
    peopleBatcherWaitMs: batcherWaitMs,
    wrapOutbox: timing,
  });
  try {
    const room = h.fake.createRoom({ title: 'bench', type: 'direct', members: [ALICE.email] });
    const results: number[] = [];
    for (let i = 0; i < warmup + samples; i++) {
      const text = `m${i}`;
      const replied = new Promise<number>((resolve) => waiters.set(`echo: ${text}`, resolve));
      const t0 = performance.now();
      await h.fake.userSays({ roomId: room.id, personEmail: ALICE.email, text });
      const t1 = await replied;
      if (i >= warmup) results.push(t1 - t0);
    }
    const sorted = [...results].sort((a, b) => a - b);
    return { batcherWaitMs, samples, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
  } finally {
    await h.close();
  }
}

/** Runs both configurations in one process; `ratio` = default p50 / ours p50. */
export async function run(options: { samples?: number; warmup?: number } = {}): Promise<{
  name: string;
  sdkDefault: LatencyStats;
  ours: LatencyStats;
  p50Ratio: number;
  p99Ratio: number;
}> {
  const samples = options.samples ?? 50;
  const warmup = options.warmup ?? 5;
  const sdkDefault = await measure(SDK_DEFAULT_BATCHER_WAIT_MS, samples, warmup);
  const ours = await measure(OUR_BATCHER_WAIT_MS, samples, warmup);
  return {
    name,
    sdkDefault,
    ours,
    p50Ratio: sdkDefault.p50Ms / ours.p50Ms,
    p99Ratio: sdkDefault.p99Ms / ours.p99Ms,
  };
}
