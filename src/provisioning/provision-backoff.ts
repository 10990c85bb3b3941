/** Vendor calls one intent may take before it is given up as refused (an admin can Retry it). */
export const MAX_PROVISION_ATTEMPTS = 8;
const BASE_MS = 30_000;
const MAX_MS = 3_600_000;

/** Wait before attempt `attempts + 1` after a transient failure: 30 s doubling, at most an hour. */
export function provisionBackoffMs(attempts: number): number {
  return Math.min(MAX_MS, BASE_MS * 2 ** Math.max(0, attempts - 1));
}
