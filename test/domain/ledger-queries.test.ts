import { describe, expect, it } from 'vitest';
import { endedCounts, expiringPools, expiringSeats } from '../../src/domain/ledger-queries.js';
import { makePool } from '../support/make-pool.js';
import { aSeat, ledgerOf, viewOf } from '../support/ledger-builders.js';

const NOW = '2026-03-01T12:00:00.000Z';

describe('expiring and ended licenses and seats', () => {
  const soon = makePool({ externalId: 'soon', expiryDate: '2026-03-20T00:00:00.000Z' });
  const renews = makePool({ externalId: 'renews', renewalDate: '2026-03-05T00:00:00.000Z', expiryDate: null });
  const later = makePool({ externalId: 'later', expiryDate: '2026-06-01T00:00:00.000Z' });
  const gone = makePool({ externalId: 'gone', expiryDate: '2025-07-01T00:00:00.000Z' });
  const justGone = makePool({ externalId: 'just-gone', expiryDate: '2026-03-01T11:00:00.000Z' });
  const retired = makePool({ externalId: 'retired', expiryDate: '2025-07-01T00:00:00.000Z', retired: true, retiredAt: '2025-08-01T00:00:00.000Z' });
  const seat = (id: string, expiresAt: string | null, status: 'active' | 'expired' = 'active') =>
    aSeat({ id, poolId: soon.id, status, expiresAt, assignee: { kind: 'device', id: `Q2-${id}`, email: null, name: null } });
  const view = viewOf(
    ledgerOf({
      pools: [soon, renews, later, gone, justGone, retired],
      assignments: [seat('ends-soon', '2026-03-10T00:00:00.000Z'), seat('ended', '2026-02-01T00:00:00.000Z'), seat('done', '2026-02-01T00:00:00.000Z', 'expired'), seat('far', '2026-09-01T00:00:00.000Z'), seat('open', null)],
    }),
  );

  it('lists only what ends after now and within the window, renewals included, soonest first', () => {
    expect(expiringPools(view, NOW, 30).map((s) => s.pool.externalId)).toEqual(['renews', 'soon']);
    expect(expiringPools(view, NOW, 120).map((s) => s.pool.externalId)).toEqual(['renews', 'soon', 'later']);
    expect(expiringSeats(view, NOW, 30).map((a) => a.id)).toEqual(['ends-soon']);
  });

  it('counts licenses past expiry (not retired) and active seats past their end date apart', () => {
    expect(endedCounts(view, NOW)).toEqual({ pools: 2, seats: 1 });
  });
});
