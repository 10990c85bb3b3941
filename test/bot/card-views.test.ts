import { describe, expect, it } from 'vitest';
import { expiringData, personText, syncStatus } from '../../src/bot/card-views.js';
import type { SyncRun } from '../../src/domain/ledger.js';
import { renderCard } from '../../src/cards/render-card.js';
import { makePool } from '../support/make-pool.js';
import { aSeat, ledgerOf, viewOf } from '../support/ledger-builders.js';

describe('card views', () => {
  it('names holders known only by id by their kind and id (Meraki devices and networks), never "someone unknown"', () => {
    const pool = makePool({ externalId: 'mx', productName: 'MX64-ENT', expiryDate: '2026-03-20T00:00:00.000Z' }, 'meraki');
    const device = aSeat({ id: 'd1', poolId: pool.id, expiresAt: '2026-03-10T00:00:00.000Z', assignee: { kind: 'device', id: 'Q2AB-1234-CDEF', email: null, name: null } });
    const person = aSeat({ id: 'p1', poolId: pool.id, assignee: { kind: 'user', id: 'u1', email: 'ann@example.com', name: null } });
    const view = viewOf(ledgerOf({ pools: [pool], assignments: [device, person] }));
    expect(personText(view, device)).toEqual({ name: 'device Q2AB-1234-CDEF', email: null });
    expect(personText(view, person)).toEqual({ name: null, email: 'ann@example.com' });

    const { markdown } = renderCard('expiring', expiringData(view, '2026-03-01T00:00:00.000Z', 30, { id: 'p-admin', email: 'admin@example.com', isAdmin: true }));
    expect(markdown).toContain('device Q2AB-1234-CDEF · **MX64-ENT**');
    expect(markdown).not.toContain('someone unknown');
  });

  it('reports the newest sync by start sequence, so a failed run after a clock step back is not hidden', () => {
    const run = (id: string, seq: number | undefined, startedAt: string, status: SyncRun['status']): SyncRun => ({
      id, ...(seq === undefined ? {} : { seq }), vendor: 'webex', connectionId: 'org', trigger: 'schedule', startedAt, finishedAt: startedAt,
      status, dryRun: false, pages: 1, requests: 1, retries: 0, summary: null,
      error: status === 'failed' ? { code: 'VENDOR_HTTP', message: 'Webex answered 500', httpStatus: 500, trackingId: null } : null,
    });
    const data = ledgerOf();
    for (const r of [
      run('legacy', undefined, '2026-03-05T10:00:00.000Z', 'ok'), // recorded before sequences: older than any
      run('ok', 1, '2026-03-02T10:00:00.000Z', 'ok'),
      run('failed', 2, '2026-03-01T10:00:00.000Z', 'failed'), // the clock was stepped back a day
    ]) data.syncRuns[r.id] = r;
    expect(syncStatus(viewOf(data), ['webex', 'meraki'])).toEqual([
      { vendor: 'meraki', status: 'never', at: null, error: null },
      { vendor: 'webex', status: 'failed', at: '2026-03-01T10:00:00.000Z', error: 'Webex answered 500' },
    ]);
  });
});
