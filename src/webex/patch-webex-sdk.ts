import type { Logger } from '../log.js';
import { isRecord } from './is-record.js';
import { sdkErrorSummary } from './sdk-error-summary.js';

interface SdkDefer {
  promise: Promise<unknown>;
  reject(reason: unknown): void;
}
interface SdkBatcher {
  queue: unknown[];
  config: { batcherMaxCalls?: number };
  executeQueue: (...args: unknown[]) => Promise<unknown>;
  getDeferredForRequest: (item: unknown) => Promise<SdkDefer>;
  getDeferredForResponse: (item: unknown) => Promise<SdkDefer>;
}

const ignore = (): void => undefined;
interface SdkWebhooks {
  list: (...args: unknown[]) => Promise<unknown>;
}

/**
 * Guards on a fresh Webex SDK instance (webex-platform.md 7.7.2, 7.7.6, 7.9):
 * - people batcher wait lowered (replies in tens of ms, not ~105 ms); batching stays on;
 * - a failed batched `GET /people?id=` (HTTP error, or ids that do not match) rejects the lookups waiting on
 *   it instead of leaving them pending and raising an unhandled rejection that exits the process (retrySdkReads
 *   then retries each lookup by the Webex retry policy);
 * - a failed `GET /webhooks` during start is logged and treated as "none of ours" instead of an unhandled rejection.
 */
export function patchWebexSdk(webex: unknown, opts: { logger: Logger; peopleBatcherWaitMs: number }): void {
  if (!isRecord(webex)) return;
  const config = isRecord(webex.config) ? webex.config : undefined;
  if (config !== undefined && isRecord(config.people)) config.people.batcherWait = opts.peopleBatcherWaitMs;

  const people = isRecord(webex.people) ? webex.people : undefined;
  const batcher =
    people !== undefined && isRecord(people.batcher) ? (people.batcher as unknown as SdkBatcher) : undefined;
  if (batcher !== undefined && typeof batcher.executeQueue === 'function') {
    // Each pending lookup has a second, internal promise (cleanup chain) that nobody awaits: when the SDK rejects a
    // lookup (HTTP error, notFoundIds, network), that chain becomes an unhandled rejection. The caller still gets
    // the rejection through the promise it awaits; the internal chain is marked handled here.
    for (const name of ['getDeferredForRequest', 'getDeferredForResponse'] as const) {
      const original = batcher[name];
      batcher[name] = function markHandled(this: SdkBatcher, item: unknown): Promise<SdkDefer> {
        return original.call(this, item).then((defer) => {
          defer.promise.catch(ignore);
          return defer;
        });
      };
    }
    const executeQueue = batcher.executeQueue;
    batcher.executeQueue = function guardedExecuteQueue(
      this: SdkBatcher,
      ...args: unknown[]
    ): Promise<unknown> {
      const batch = this.queue.slice(0, this.config.batcherMaxCalls ?? 10);
      return executeQueue.apply(this, args).catch(async (err: unknown) => {
        opts.logger.error(
          { err: sdkErrorSummary(err), lookups: batch.length },
          'Webex people lookup failed; the lookups waiting on it are rejected (and retried)',
        );
        await Promise.all(
          batch.map((item) =>
            this.getDeferredForRequest(item).then(
              (defer) => defer.reject(err),
              () => undefined, // already settled and removed: nothing is waiting on it
            ),
          ),
        );
      });
    };
  }

  const webhooks = isRecord(webex.webhooks) ? (webex.webhooks as unknown as SdkWebhooks) : undefined;
  if (webhooks !== undefined && typeof webhooks.list === 'function') {
    const list = webhooks.list.bind(webhooks);
    webhooks.list = async (...args: unknown[]): Promise<unknown> => {
      try {
        return await list(...args);
      } catch (err) {
        opts.logger.error(
          { err: sdkErrorSummary(err) },
          'listing Webex webhooks failed; old webhooks of ours are not replaced',
        );
        return { items: [] };
      }
    };
  }
}
