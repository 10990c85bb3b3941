export interface KeyedFifo {
  /** Runs `fn` after every earlier `run` with the same key has settled; other keys run in parallel. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running. */
  readonly size: number;
}

/** Per-key FIFO chains, each removed once its queue is empty (memory bounded by the keys in use). */
export function createKeyedFifo(): KeyedFifo {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, fn) {
      const prev = tails.get(key) ?? Promise.resolve();
      const result = prev.then(fn);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get size() {
      return tails.size;
    },
  };
}
