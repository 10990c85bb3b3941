import type { Logger } from '../log.js';
import { withTimeout } from '../with-timeout.js';
import { createWebhookDedupe, type LocalWebhookDedupe, type WebhookDedupe } from './webhook-dedupe.js';

/** Deliveries claimed in a store all instances share (store/postgres/pg-webhook-dedupe.ts). */
export interface SharedDeliveryClaims {
  /** True when this call claimed `key`; false when another instance (or an earlier delivery) holds it. */
  claim(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

/**
 * Dedupe across instances behind one load balancer: the local in-memory filter answers replays to this
 * instance without a round trip; a key new here is claimed in the shared store, and only the instance whose
 * claim wins processes it. The local filter keeps only keys this instance claimed, so a delivery another
 * instance `forget`s (content unread) is processed when it comes here next.
 *
 * Fails open: when the shared store errs or does not answer within `timeoutMs`, the delivery is processed
 * with the local filter only (warned once per outage). A webhook must not be lost because dedupe is down;
 * the price is that a replay landing on another instance during the outage is processed twice, which the
 * bot's own event-id dedupe and the ledger's idempotency keys absorb.
 */
export function createSharedWebhookDedupe(options: {
  claims: SharedDeliveryClaims;
  logger: Logger;
  local?: LocalWebhookDedupe;
  /** Longest wait for the shared store before failing open (default 2 s). */
  timeoutMs?: number;
}): WebhookDedupe {
  const { claims } = options;
  const local = options.local ?? createWebhookDedupe();
  const timeoutMs = options.timeoutMs ?? 2000;
  const log = options.logger.child({ component: 'shared-webhook-dedupe' });
  let outage: { failures: number } | null = null;

  const failed = (err: unknown, what: string): void => {
    if (outage === null) {
      outage = { failures: 0 };
      log.warn({ err }, `shared webhook dedupe unavailable (${what}); deduplicating on this instance only until it answers again`);
    }
    outage.failures += 1;
  };
  const answered = (): void => {
    if (outage !== null) {
      log.info({ failures: outage.failures }, 'shared webhook dedupe answers again');
      outage = null;
    }
  };

  return {
    seen(key) {
      // Marked here first, so a second copy arriving while the claim is in flight is a replay.
      if (local.seen(key)) return true;
      return withTimeout(claims.claim(key), timeoutMs).then(
        (claimed) => {
          answered();
          // Held elsewhere: not ours to remember, so a later forget() by the holder lets a redelivery through here.
          if (!claimed) local.forget(key);
          return !claimed;
        },
        (err: unknown) => {
          failed(err, 'claim');
          return false;
        },
      );
    },
    forget(key) {
      local.forget(key);
      return withTimeout(claims.release(key), timeoutMs).then(answered, (err: unknown) => failed(err, 'release'));
    },
    get size() {
      return local.size;
    },
  };
}
