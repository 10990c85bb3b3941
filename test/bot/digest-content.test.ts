// The digest's content from a known ledger: totals, alerts, 90/60/30-day dates, pending and waitlists,
// changes since the space's previous digest, reclaim candidates and what idle or unassigned seats cost.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { JobOutbox, Reply } from '../../src/bot/chat-event.js';
import { digestData } from '../../src/bot/card-views.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { renderCard } from '../../src/cards/render-card.js';
import { validateCard } from '../../src/cards/validate-card.js';
import type { AuditEvent, LedgerData, WaitlistEntry } from '../../src/domain/ledger.js';
import { runDailyDigest } from '../../src/jobs/daily-digest.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { cpodSeatPrice } from '../../src/sync/vendors/cpod/cpod-seat-price.js';
import { visibleText } from '../cards/card-inspect.js';
import { aPool, aSeat, ledgerOf, viewOf } from '../support/ledger-builders.js';

const NOW = '2026-03-02T09:00:00.000Z';
const SINCE = '2026-03-01T08:00:00.000Z';

const acrobat = aPool({
  vendor: 'cpod',
  connectionId: 'ten-1',
  externalId: 'lic-acrobat',
  sourceKind: 'cpod.software_license',
  productName: 'Adobe Acrobat Pro',
  totalSeats: 10,
  consumedSeats: 0,
  expiryDate: '2026-03-22T23:59:59.000Z',
  seatPrice: { amount: 179.91, currency: 'USD' },
});
const meetings = aPool({ productName: 'Webex Meetings', totalSeats: 2, consumedSeats: 3, renewalDate: '2026-04-20T00:00:00.000Z', autoRenew: true });
const calling = aPool({ externalId: 'lic-calling', productName: 'Webex Calling', totalSeats: 50, consumedSeats: 10, expiryDate: '2026-05-25T00:00:00.000Z' });

function event(id: string, at: string, action: AuditEvent['action']): AuditEvent {
  return { id, at, actor: { kind: 'system', name: 'schedule' }, source: 'schedule', action, poolId: acrobat.id, assignmentId: null, before: null, after: null, idempotencyKey: null, note: null };
}

function knownLedger(): LedgerData {
  const data = ledgerOf({
    pools: [acrobat, meetings, calling],
    assignments: [
      aSeat({ id: 'idle', poolId: acrobat.id, lastUsedAt: '2025-12-01T00:00:00.000Z' }),
      aSeat({ id: 'busy', poolId: acrobat.id, lastUsedAt: '2026-03-01T00:00:00.000Z' }),
      aSeat({ id: 'unknown-use', poolId: acrobat.id }),
      aSeat({ id: 'asks', poolId: acrobat.id, status: 'pending', assignedAt: null, decidedAt: null }),
    ],
  });
  const waiting: WaitlistEntry = {
    id: 'wl-1',
    poolId: meetings.id,
    person: { kind: 'user', id: 'p-w', email: 'w@example.com', name: 'W' },
    status: 'waiting',
    joinedAt: SINCE,
    offeredAt: null,
    offerExpiresAt: null,
    assignmentId: null,
    updatedAt: SINCE,
  };
  data.waitlist = { [waiting.id]: waiting };
  data.audit = [
    event('e0', '2026-02-28T10:00:00.000Z', 'seat.released'),
    event('e1', '2026-03-01T09:00:00.000Z', 'seat.requested'),
    event('e2', '2026-03-01T10:00:00.000Z', 'seat.requested'),
    event('e3', '2026-03-01T11:00:00.000Z', 'seat.approved'),
    event('e4', '2026-03-01T12:00:00.000Z', 'notice.sent'),
  ];
  return data;
}

const render = (data: LedgerData, since: string | null) =>
  renderCard('digest', digestData(viewOf(data), { now: NOW, timeZone: 'UTC' }, ['cpod', 'webex'], 'Ops room', since));

describe('digest content', () => {
  it('shows totals, alerts, dates, pending, changes, reclaim candidates and cost from a known ledger', () => {
    const { card, markdown } = render(knownLedger(), SINCE);
    expect(validateCard(card)).toEqual([]);
    const text = visibleText(card);
    expect(text).toContain('3 licenses · 16 of 62 seats in use · 46 free');
    expect(text).toContain('1 request waiting for approval · 1 on waitlists');
    expect(text).toContain('🚨 **Webex Meetings** · Webex: over-allocated, 3 in use of 2');
    expect(text).toContain('Within 30 days: ⏳ **Adobe Acrobat Pro** · cPod:');
    expect(text).toContain('Within 60 days: 🔁 **Webex Meetings** · Webex: renews automatically');
    expect(text).toContain('Within 90 days: ⏳ **Webex Calling** · Webex:');
    expect(text).toContain('Changes since the last digest (2026-03-01)');
    expect(text).toContain('2 seats requested');
    expect(text).toContain('1 request approved');
    expect(text).not.toContain('seat released');
    expect(text).not.toContain('notice');
    expect(text).toContain('💤 **Adobe Acrobat Pro** · cPod: 1 seat unused for over 60 days');
    expect(text).toContain('💰 **Adobe Acrobat Pro** · cPod: 1 idle + 6 unassigned × $179.91 = $1,259.37');
    expect(markdown).toMatchSnapshot();
  });

  it('says nothing changed when the log is quiet, and leaves the section out on a space’s first digest', () => {
    const quiet = knownLedger();
    quiet.audit = [];
    expect(visibleText(render(quiet, SINCE).card)).toContain('Nothing changed.');
    const first = render(knownLedger(), null);
    expect(visibleText(first.card)).not.toContain('Changes since');
    expect(first.markdown).not.toContain('Changes since');
    expect(validateCard(first.card)).toEqual([]);
  });

  it('shows the cost section only when a pool has a price', () => {
    const data = knownLedger();
    const { seatPrice: _ignored, ...unpriced } = acrobat;
    data.pools[acrobat.id] = unpriced;
    const { card, markdown } = render(data, SINCE);
    expect(visibleText(card)).not.toContain('💰');
    expect(visibleText(card)).not.toContain('Cost of idle');
    expect(markdown).not.toContain('💰');
    expect(visibleText(card)).toContain('💤 **Adobe Acrobat Pro**');
  });

  it('keeps vendor text inert in the new lines', () => {
    const data = knownLedger();
    data.pools[acrobat.id] = { ...acrobat, productName: '[click](https://evil.example) <@all>' };
    const { card } = render(data, SINCE);
    expect(visibleText(card)).not.toContain('](https://evil.example)');
    expect(validateCard(card)).toEqual([]);
  });
});

describe('changes since the previous digest in the space', () => {
  it('lists what happened between two digests, and not what came before the first', async () => {
    const clock = fixedClock('2026-03-02T08:00:00.000Z');
    const store = createMemorySeatStore();
    await store.update(() => ({
      changes: [
        { type: 'pool.put', pool: acrobat },
        { type: 'space.put', space: { roomId: 'room-1', digest: true, title: 'Ops', updatedAt: clock.now().toISOString(), updatedBy: { kind: 'system', name: 'schedule' } } },
        { type: 'audit.add', event: event('before', '2026-03-01T00:00:00.000Z', 'seat.revoked') },
      ],
      result: null,
    }));
    const sent: Reply[] = [];
    const outbox: JobOutbox = {
      send: () => Promise.reject(new Error('digest must use deliver')),
      deliver: (replies) => {
        sent.push(...replies);
        return Promise.resolve(replies.map(() => ({ ok: true as const })));
      },
    };
    const notices = createJobNotices({ access: { adminEmails: [], adminSpaceId: null, allowedEmailDomains: [] }, vendors: [] });
    await runDailyDigest({ store, clock, outbox, notices });
    expect(sent[0]?.markdown).not.toContain('Changes since');

    clock.advance(3_600_000);
    await store.update(() => ({ changes: [{ type: 'audit.add', event: event('between', clock.now().toISOString(), 'seat.granted') }], result: null }));
    clock.advance(86_400_000);
    await runDailyDigest({ store, clock, outbox, notices });
    expect(sent).toHaveLength(2);
    expect(sent[1]?.markdown).toContain('**Changes since the last digest (2026-03-02)**');
    expect(sent[1]?.markdown).toContain('1 seat granted');
    expect(sent[1]?.markdown).not.toContain('revoked');
  });
});

describe('cPod seat price', () => {
  const base = { id: 'lic', product_name: 'X', license_type: 'named_user', total_seats: 30 };
  it('is the list price less the negotiated discount, in the currency cost names', () => {
    expect(cpodSeatPrice({ ...base, list_price: 239.88, negotiated_discount: 25, cost: { currency: 'USD', amount: 5400 } })).toEqual({ amount: 179.91, currency: 'USD' });
  });
  it('falls back to cost spread over the seats, and is null without either', () => {
    expect(cpodSeatPrice({ ...base, cost: { currency: 'eur', amount: 900 } })).toEqual({ amount: 30, currency: 'EUR' });
    expect(cpodSeatPrice(base)).toBeNull();
  });
});
