import { describe, expect, it } from 'vitest';
import { endedCounts, expiringPools, expiringSeats, pendingRequests } from '../../src/domain/ledger-queries.js';
import { executeLedgerCommand } from '../../src/domain/execute-ledger-command.js';
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

describe('vendor-side pending seats (unconfirmed invitations)', () => {
  const zoho = makePool({ externalId: 'crm', productName: 'Zoho CRM', totalSeats: 3, consumedSeats: 1 }, 'zoho_crm');
  const invited = aSeat({ id: 'inv', poolId: zoho.id, status: 'pending', origin: 'vendor', vendorSeen: true, requestedAt: '2026-02-01T00:00:00.000Z' });
  const asked = aSeat({ id: 'ask', poolId: zoho.id, status: 'pending', origin: 'ledger', requestedAt: '2026-02-02T00:00:00.000Z' });
  const ada = { kind: 'person' as const, personId: 'p-ada', email: 'ada@example.com', name: 'Ada', isAdmin: true };

  it('reserve a seat but are not bot requests: not listed for admins and not decided in chat', () => {
    const view = viewOf(ledgerOf({ pools: [zoho], assignments: [invited, asked] }));
    expect(view.usage(zoho.id)).toMatchObject({ pending: 2, available: 0 });
    expect(pendingRequests(view).map((a) => a.id)).toEqual(['ask']);
    for (const op of ['approve', 'deny'] as const) {
      const { changes, result } = executeLedgerCommand(view, { command: { op, assignmentId: 'inv' }, actor: ada, source: 'card', idempotencyKey: `k-${op}`, now: NOW });
      expect(result).toMatchObject({ ok: false, code: 'LEDGER_INVALID', message: expect.stringContaining('pending at Zoho CRM') });
      expect(changes.filter((c) => c.type === 'assignment.put')).toEqual([]);
    }
    expect(executeLedgerCommand(view, { command: { op: 'approve', assignmentId: 'ask' }, actor: ada, source: 'card', idempotencyKey: 'k-ok', now: NOW }).result).toMatchObject({ ok: true });
  });
});
