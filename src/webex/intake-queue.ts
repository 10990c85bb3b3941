/** Numbers for /healthz and tests: what the queue holds now and what it has done. */
export interface IntakeQueueStats {
  /** Items being processed now (at most `concurrency`). */
  running: number;
  /** Items accepted and waiting for a slot. */
  queued: number;
  /** Sum of the waiting items' sizes (bytes). */
  queuedBytes: number;
  /** Most items ever waiting at once. */
  peakQueued: number;
  /** Items accepted since start. */
  accepted: number;
  /** Items refused because the queue was full. */
  refused: number;
}

export interface IntakeQueue<T> {
  /** Accepts `item` (of `bytes` size) if there is room, and runs it when a slot frees; false = refused. */
  offer(item: T, bytes: number): boolean;
  /** Resolves when nothing is running or waiting (including items accepted meanwhile). */
  drain(): Promise<void>;
  readonly stats: IntakeQueueStats;
}

export interface IntakeQueueOptions<T> {
  /** Items processed at once. */
  concurrency: number;
  /** Items that may wait for a slot; past it `offer` refuses. */
  maxQueued: number;
  /** Total size of the waiting items; past it `offer` refuses. */
  maxQueuedBytes: number;
  /** Processes one item; a rejection is passed to `onError`, never thrown. */
  run: (item: T) => Promise<void>;
  onError: (err: unknown, item: T) => void;
}

/**
 * A bounded FIFO with limited concurrency: memory stays flat however fast items arrive, because at most
 * `concurrency` run and at most `maxQueued` items (and `maxQueuedBytes`) wait; the caller refuses the rest.
 */
export function createIntakeQueue<T>(options: IntakeQueueOptions<T>): IntakeQueue<T> {
  /** FIFO of waiting items; at most maxQueued long, so shift() stays cheap. */
  const waiting: { item: T; bytes: number }[] = [];
  let running = 0;
  let queuedBytes = 0;
  let peakQueued = 0;
  let accepted = 0;
  let refused = 0;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = (): void => {
    if (running > 0 || waiting.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const take = (): { item: T; bytes: number } | undefined => {
    const next = waiting.shift();
    if (next !== undefined) queuedBytes -= next.bytes;
    return next;
  };

  const pump = (): void => {
    while (running < options.concurrency) {
      const next = take();
      if (next === undefined) break;
      running += 1;
      void Promise.resolve()
        .then(() => options.run(next.item))
        .catch((err: unknown) => options.onError(err, next.item))
        .finally(() => {
          running -= 1;
          pump();
          settleIdle();
        });
    }
  };

  return {
    offer(item, bytes) {
      const full = waiting.length >= options.maxQueued || queuedBytes + bytes > options.maxQueuedBytes;
      // A free slot takes the item at once, so a full waiting line only refuses when every slot is busy too.
      if (running >= options.concurrency && full) {
        refused += 1;
        return false;
      }
      accepted += 1;
      waiting.push({ item, bytes });
      queuedBytes += bytes;
      pump();
      peakQueued = Math.max(peakQueued, waiting.length);
      return true;
    },
    drain() {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    get stats() {
      return { running, queued: waiting.length, queuedBytes, peakQueued, accepted, refused };
    },
  };
}
