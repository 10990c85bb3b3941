import { describe, expect, it } from 'vitest';
import type { ProvisionIntent } from '../../src/domain/ledger.js';
import { VendorApiError } from '../../src/errors.js';
import { settleCommand } from '../../src/provisioning/run-intent.js';
import { MAX_PROVISION_ATTEMPTS, provisionBackoffMs } from '../../src/provisioning/provision-backoff.js';
import { writeFailure } from '../../src/sync/vendors/vendor-failure.js';

const intent: ProvisionIntent = {
  id: 'seat-1#p1', assignmentId: 'seat-1', poolId: 'webex:default:lic', vendor: 'webex', op: 'add', status: 'queued',
  attempts: 0, nextAttemptAt: null, reason: null, createdAt: '2026-03-01T10:00:00.000Z', updatedAt: '2026-03-01T10:00:00.000Z',
};
const NOW = '2026-03-01T10:00:00.000Z';

describe('provisioning outcomes', () => {
  it('transient failures back off 30 s doubling to an hour, then give up as refused', () => {
    expect([1, 2, 3, 8, 20].map(provisionBackoffMs)).toEqual([30_000, 60_000, 120_000, 3_600_000, 3_600_000]);
    expect(settleCommand(intent, { kind: 'retry', reason: 'HTTP 503' }, NOW)).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: '2026-03-01T10:00:30.000Z' });
    const last = { ...intent, attempts: MAX_PROVISION_ATTEMPTS - 1 };
    expect(settleCommand(last, { kind: 'retry', reason: 'HTTP 503' }, NOW)).toMatchObject({ status: 'refused', reason: `gave up after ${MAX_PROVISION_ATTEMPTS} attempts: HTTP 503` });
  });

  it('a no-op done is not counted as a vendor call (the removal brake counts calls)', () => {
    expect(settleCommand(intent, { kind: 'done', noop: true, detail: 'already there' }, NOW)).toMatchObject({ status: 'done', calledAt: null });
    expect(settleCommand(intent, { kind: 'done', noop: false, detail: 'assigned' }, NOW)).toMatchObject({ status: 'done', calledAt: NOW });
    expect(settleCommand(intent, { kind: 'paused', reason: 'needs scope' }, NOW)).toMatchObject({ status: 'paused', hold: { id: 'webex', reason: 'needs scope' } });
  });

  it('vendor errors: 401/403 pause naming the scope, 400 refuses with the words and code, 429/5xx (and Webex 409) retry', () => {
    const err = (status: number, message: string, vendorCode: string | null = null) =>
      new VendorApiError('webex', 'VENDOR_HTTP', `PATCH https://webexapis.com/v1/licenses/users answered HTTP ${status}: ${message} (trackingId T1)`, { status, vendorCode });
    expect(writeFailure(err(403, 'Forbidden'), 'Webex', 'spark-admin:people_write')).toEqual({ kind: 'paused', reason: "Webex refused the bot's admin credential (HTTP 403): it needs spark-admin:people_write" });
    expect(writeFailure(err(400, 'License not recognized x', '400000'), 'Webex', 's')).toEqual({ kind: 'refused', reason: 'License not recognized x (error 400000)' });
    for (const s of [429, 500, 503]) expect(writeFailure(err(s, 'busy'), 'Webex', 's').kind).toBe('retry');
    expect(writeFailure(err(409, 'busy'), 'Webex', 's', { conflictIsTransient: true }).kind).toBe('retry');
    expect(writeFailure(err(409, 'no seat left'), 'cPod', 's').kind).toBe('refused');
    expect(() => writeFailure(new Error('bug'), 'Webex', 's')).toThrow('bug');
  });
});
