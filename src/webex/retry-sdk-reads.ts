import type { Logger } from '../log.js';
import { isRecord } from './is-record.js';
import { nextRetryWait, type RetryCounts, type WebexRetryPolicy } from './retry-policy.js';
import { sdkErrorSummary } from './sdk-error-summary.js';

export interface RetrySdkReadsOptions {
  policy: WebexRetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  log: Logger;
}

type SdkMethod = (...args: unknown[]) => Promise<unknown>;

/** The SDK reads the framework makes while handling an event (late discovery of a space, memberships). */
const READS: readonly (readonly [string, string])[] = [
  ['messages', 'get'],
  ['attachmentActions', 'get'],
  ['people', 'get'],
  ['rooms', 'get'],
  ['memberships', 'get'],
  ['memberships', 'list'],
];

/** An SDK error's status (null for a network error, which the SDK reports as 0) and its Retry-After. */
function failedAttempt(err: unknown): { status: number | null; retryAfter: string | null } {
  const e = isRecord(err) ? err : {};
  const status = typeof e.statusCode === 'number' && e.statusCode > 0 ? e.statusCode : null;
  const headers = isRecord(e.headers) ? e.headers : {};
  const retryAfter = headers['retry-after'];
  return { status, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
}

/**
 * Wraps the SDK reads the framework uses on the event path with the Webex retry policy: `Retry-After` on
 * 429/423/503, jittered backoff on 5xx and network errors. The framework swallows a failed read and the event
 * with it (lib/process-event.js, framework.spawn); the SDK only retries identity URLs itself.
 */
export function retrySdkReads(webex: unknown, options: RetrySdkReadsOptions): void {
  if (!isRecord(webex)) return;
  for (const [plugin, method] of READS) {
    const target = webex[plugin];
    if (!isRecord(target) || typeof target[method] !== 'function') continue;
    const original = (target[method] as SdkMethod).bind(target);
    const name = `${plugin}.${method}`;
    target[method] = async (...args: unknown[]): Promise<unknown> => {
      const counts: RetryCounts = { failures: 0, rateLimited: 0 };
      for (;;) {
        try {
          return await original(...args);
        } catch (err) {
          const attempt = failedAttempt(err);
          const wait = nextRetryWait(options.policy, counts, attempt, options.random);
          if (wait === null) {
            // The framework swallows this: say it here, with Webex's tracking id (the intake reports the event).
            if (attempt.status !== 404) {
              options.log.error(
                { err: sdkErrorSummary(err), call: name, ...counts },
                `Webex SDK ${name} failed for good`,
              );
            }
            throw err;
          }
          options.log.warn(
            { err: sdkErrorSummary(err), call: name, ...counts, waitMs: wait },
            `Webex SDK ${name} failed (${attempt.status ?? 'network'}), retrying`,
          );
          await options.sleep(wait);
        }
      }
    };
  }
}
