import { VendorApiError, errorMessage } from '../../errors.js';
import type { SeatWriteOutcome } from './seat-writer.js';

/** What the vendor said, without our "<vendor>: METHOD url answered HTTP n:" prefix and tracking id. */
export function vendorSaid(err: VendorApiError): string {
  const m = /answered HTTP \d+(?: after \d+ attempts)?: (.*?)(?: \(trackingId [^)]*\))?$/.exec(err.message);
  return m?.[1] ?? `HTTP ${err.status ?? '?'}`;
}

/**
 * A failed write call as an outcome: 401/403 pause write-back naming the scope the credential lacks; 400/404/409/422
 * are the vendor refusing (its words and code), 409 unless `conflictIsTransient`; anything transient (423, 429, 5xx,
 * timeouts, network) is retried later by the worker. Anything else is rethrown.
 */
export function writeFailure(err: unknown, vendorName: string, scope: string, o: { conflictIsTransient?: boolean } = {}): SeatWriteOutcome {
  if (!(err instanceof VendorApiError)) throw err;
  const s = err.status;
  if (s === 401 || s === 403) {
    return { kind: 'paused', reason: `${vendorName} refused the bot's admin credential (HTTP ${s}): it needs ${scope}` };
  }
  // 409 Conflict: at Webex a concurrent change to the user (try again later); at cPod a refusal (no seat left).
  const transient409 = s === 409 && o.conflictIsTransient === true;
  if (s !== null && s >= 400 && s < 500 && s !== 408 && !transient409 && s !== 423 && s !== 429) {
    const code = err.vendorCode === null ? '' : ` (error ${err.vendorCode})`;
    return { kind: 'refused', reason: `${vendorSaid(err)}${code}`.slice(0, 280) };
  }
  return { kind: 'retry', reason: errorMessage(err).slice(0, 280) };
}
