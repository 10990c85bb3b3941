/**
 * What one webhook delivery may cost the receiver. Webex envelopes are about 1 KB (webex-platform.md 1.1), so
 * the defaults leave ample headroom while bounding memory: at most `maxConnections` requests buffer at most
 * `maxBodyBytes` each (256 x 64 KiB = 16 MiB), and a client that stalls is cut off by the timeouts. Accepted
 * events are processed `maxInFlightEvents` at a time; a burst waits in a queue of at most `maxQueuedEvents`
 * envelopes and `maxQueuedBytes` (1,000 x ~1 KB is ~1 MB), and only past that is a delivery refused with 503.
 */
export interface ReceiverLimits {
  /** Largest request body read; a bigger Content-Length is refused with 413 before any of it is read. */
  readonly maxBodyBytes: number;
  /** Time from connecting (or the previous request) until the request headers are complete. */
  readonly headersTimeoutMs: number;
  /** Time from connecting until the whole request, body included, has arrived. */
  readonly requestTimeoutMs: number;
  /** Idle time an open keep-alive connection is kept between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections at once; further ones are closed as they arrive. */
  readonly maxConnections: number;
  /** Accepted events processed at once (fetching their content from Webex, then the bot). */
  readonly maxInFlightEvents: number;
  /** Accepted events waiting for a processing slot; a delivery past it is answered 503 with Retry-After. */
  readonly maxQueuedEvents: number;
  /** Raw bytes of the waiting events, the same bound by size. */
  readonly maxQueuedBytes: number;
}

export const DEFAULT_RECEIVER_LIMITS: ReceiverLimits = Object.freeze({
  maxBodyBytes: 64 * 1024,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
  maxInFlightEvents: 64,
  maxQueuedEvents: 1_000,
  maxQueuedBytes: 8 * 1024 * 1024,
});

/** The defaults overridden by `overrides`; throws TypeError for a value no server could honour. */
export function receiverLimits(overrides: Partial<ReceiverLimits> = {}): ReceiverLimits {
  const limits: ReceiverLimits = { ...DEFAULT_RECEIVER_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`receiver limit ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new TypeError('receiver limit headersTimeoutMs must not exceed requestTimeoutMs');
  }
  return Object.freeze(limits);
}
