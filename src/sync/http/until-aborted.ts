/**
 * `work`, or a rejection with `reason()` as soon as `signal` aborts, whichever comes first, so a caller is
 * never held past its deadline by work that ignores the signal. Work that settles later is dropped: its result
 * and its error go nowhere (the caller has already been told why it stopped).
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, reason: () => Error): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) {
    work.catch(() => undefined); // dropped on purpose, see above; keeps a late rejection from going unhandled
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const stop = (): void => reject(reason());
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', stop);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
