import type { Delivery, DeliveryFailure } from '../bot/delivery.js';
import { VendorApiError } from '../errors.js';

function failureOf(status: number | null): DeliveryFailure {
  if (status === 404) return 'not_found';
  if (status === 403) return 'forbidden';
  if (status === 429 || status === 423) return 'rate_limited';
  if (status === null || status >= 500) return 'unavailable';
  return 'refused';
}

/** A send that failed after its retries, as the bot is told: the reason by status, and the tracking id. */
export function failedDelivery(err: unknown): Extract<Delivery, { ok: false }> {
  const status = err instanceof VendorApiError ? err.status : null;
  const trackingId = err instanceof VendorApiError ? err.trackingId : null;
  return { ok: false, failure: failureOf(status), status, trackingId };
}
