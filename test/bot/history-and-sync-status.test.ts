import { describe, expect, it } from 'vitest';
import type { DriftFinding, SyncRun } from '../../src/domain/ledger.js';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { pressSubmit, submits } from '../cards/card-inspect.js';

const zoho = makePool({ externalId: 'zc', productName: 'Zoho CRM', totalSeats: 50, consumedSeats: 0 });
const miro = makePool({ externalId: 'mi', productName: 'Miro', totalSeats: 50, consumedSeats: 0 });

/** Cy requests Zoho CRM and releases it a minute later, `n` times an hour apart from 09:00: 2n events on its trail. */
async function churn(t: ReturnType<typeof createTestBot>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await t.say(PEOPLE.cy, 'request zoho crm');
    t.clock.advance(60_000);
    await t.say(PEOPLE.cy, 'release zoho crm');
    t.clock.advance(3_600_000);
  }
}

const bullets = (markdown: string | undefined): string[] => (markdown ?? '').split('\n').filter((l) => l.startsWith('- '));

describe('history', () => {
  it("pages a license's audit trail newest first, eight to a page, with the command for the next page", async () => {
    const t = createTestBot([zoho]);
    await churn(t, 5); // 10 events: pages of 8 and 2
    const [first] = await t.say(PEOPLE.ada, 'history zoho crm');
    expect(first?.markdown).toMatch(/^\*\*History of Zoho CRM\*\* \(page 1 of 2\), newest first:/);
    const lines = bullets(first?.markdown);
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^- 2026-03-02 13:05 UTC · seat released · Cy User \(cy@example\.com\) · by Cy User/);
    expect(lines[1]).toMatch(/^- 2026-03-02 13:04 UTC · seat requested · /);
    expect(first?.markdown).toMatch(/More: say \*\*history Zoho CRM page 2\*\*\.$/);

    const [second] = await t.say(PEOPLE.ada, 'history zoho crm page 2');
    expect(second?.markdown).toMatch(/\(page 2 of 2\)/);
    expect(bullets(second?.markdown)).toEqual([
      expect.stringMatching(/^- 2026-03-02 09:01 UTC · seat released/),
      expect.stringMatching(/^- 2026-03-02 09:00 UTC · seat requested/),
    ]);
    expect(second?.markdown).not.toMatch(/More:/);
  });

  it('the More button shows the next page by cursor, unmoved by events recorded since the first page', async () => {
    const t = createTestBot([zoho]);
    await churn(t, 10); // 20 events: 8 + 8 + 4
    const [first] = await t.say(PEOPLE.ada, 'history zoho crm');
    expect(submits(first?.card).map((b) => [b.title, b.data['action'], b.data['poolId']])).toEqual([['More', 'history.more', zoho.id]]);
    const shown = bullets(first?.markdown);
    // Four new events arrive before More is pressed: with offset paging the next page would repeat four lines.
    await churn(t, 2);
    const [second] = await t.click(PEOPLE.ada, pressSubmit(first?.card, 'More'));
    const next = bullets(second?.markdown);
    expect(next).toHaveLength(8);
    expect(next[0]).toMatch(/^- 2026-03-02 14:06 UTC · seat released/);
    expect(next.filter((l) => shown.includes(l))).toEqual([]);
    const [third] = await t.click(PEOPLE.ada, pressSubmit(second?.card, 'More'));
    expect(bullets(third?.markdown)).toEqual([
      expect.stringMatching(/^- 2026-03-02 10:02 UTC · seat released/),
      expect.stringMatching(/^- 2026-03-02 10:01 UTC · seat requested/),
      expect.stringMatching(/^- 2026-03-02 09:01 UTC · seat released/),
      expect.stringMatching(/^- 2026-03-02 09:00 UTC · seat requested/),
    ]);
    expect(submits(third?.card)).toEqual([]);
  });

  it("pages a person's own history with More too, and keeps a license's trail to admins", async () => {
    const t = createTestBot([zoho]);
    await churn(t, 5);
    const [mine] = await t.say(PEOPLE.cy, 'history');
    expect(bullets(mine?.markdown)).toHaveLength(8);
    const more = pressSubmit(mine?.card, 'More');
    expect(more['poolId']).toBe('');
    const [older] = await t.click(PEOPLE.cy, more);
    expect(bullets(older?.markdown)).toHaveLength(2);
    // A non-admin pressing a license trail's More (a forwarded card) is refused and audited.
    const [adminCard] = await t.say(PEOPLE.ada, 'history zoho crm');
    const [refused] = await t.click(PEOPLE.cy, pressSubmit(adminCard?.card, 'More'));
    expect(refused?.markdown).toMatch(/Only license admins may see a license history/);
    expect(t.store.read().data.audit.at(-1)?.action).toBe('attempt.refused');
  });

  it('shows one page without paging words when everything fits', async () => {
    const t = createTestBot([zoho]);
    await churn(t, 4); // exactly 8
    const [only] = await t.say(PEOPLE.ada, 'history zoho crm');
    expect(bullets(only?.markdown)).toHaveLength(8);
    expect(only?.markdown).not.toMatch(/page|More:/);
  });

  it("gives anyone their own seat history and nobody else's", async () => {
    const t = createTestBot([zoho, miro]);
    await t.say(PEOPLE.cy, 'request zoho crm');
    t.clock.advance(60_000);
    await t.say(PEOPLE.bob, 'request miro');
    await t.say(PEOPLE.ada, 'grant miro to cy@example.com');
    t.clock.advance(60_000);
    const [mine] = await t.say(PEOPLE.cy, 'history');
    expect(mine?.markdown).toMatch(/^\*\*Your seat history\*\*, newest first:/);
    expect(bullets(mine?.markdown)).toEqual([
      expect.stringMatching(/^- 2026-03-02 09:01 UTC · seat granted · Miro · by ada@example\.com$/),
      expect.stringMatching(/^- 2026-03-02 09:00 UTC · seat requested · Zoho CRM · by Cy User/),
    ]);
    const [bobs] = await t.say(PEOPLE.bob, 'my history');
    expect(bullets(bobs?.markdown)).toEqual([expect.stringMatching(/seat requested · Miro · by Bob Admin/)]);
    const [eves] = await t.say(PEOPLE.eve, 'history');
    expect(eves?.markdown).toMatch(/nothing recorded yet/);
  });

  it("refuses a license's trail to non-admins, and audits the attempt", async () => {
    const t = createTestBot([zoho]);
    await churn(t, 1);
    const [reply] = await t.say(PEOPLE.cy, 'history zoho crm');
    expect(reply?.markdown).toMatch(/Admins only/);
    expect(reply?.markdown).not.toMatch(/seat requested/);
    expect(t.store.read().data.audit.at(-1)).toMatchObject({ action: 'attempt.refused', actor: { personId: 'p-cy' } });
  });
});

describe('sync status', () => {
  const run = (id: string, seq: number, vendor: SyncRun['vendor'], status: SyncRun['status'], error: SyncRun['error'] = null): SyncRun => ({
    id, seq, vendor, connectionId: 'default', trigger: 'schedule', startedAt: `2026-03-02T0${seq}:00:00.000Z`, finishedAt: null,
    status, dryRun: false, pages: 1, requests: 1, retries: 0, summary: null, error,
  });
  const finding = (kind: DriftFinding['kind'], message: string, resolvedAt: string | null = null): DriftFinding => ({
    id: `${zoho.id}:${kind}`, poolId: zoho.id, kind, detectedAt: '2026-03-02T08:00:00.000Z', message, vendorValue: 3, ledgerValue: 2, resolvedAt,
  });

  it('shows the last run of each vendor with why it failed, and each open drift finding with advice', async () => {
    const t = createTestBot([zoho]);
    await t.store.update(() => ({
      changes: [
        { type: 'syncRun.put', run: run('z1', 1, 'zoho_crm', 'ok') },
        { type: 'syncRun.put', run: run('z2', 2, 'zoho_crm', 'failed', { code: 'VENDOR_HTTP', message: 'Zoho answered 503', httpStatus: 503, trackingId: null }) },
        { type: 'syncRun.put', run: run('c1', 3, 'cpod', 'failed', { code: 'VENDOR_HTTP', message: 'cPod timed out', httpStatus: null, trackingId: null }) },
        { type: 'syncRun.put', run: run('c2', 4, 'cpod', 'ok') },
        { type: 'drift.put', finding: finding('consumed_mismatch', 'The vendor counts 3 seats in use, the ledger 2.') },
        { type: 'drift.put', finding: finding('total_changed', 'Old news.', '2026-03-02T08:30:00.000Z') },
      ],
      result: null,
    }));
    const [reply] = await t.say(PEOPLE.ada, 'sync status');
    const text = reply?.markdown ?? '';
    expect(text).toMatch(/^\*\*Vendor sync status\*\*/);
    expect(text).toMatch(/- \*\*Zoho CRM\*\*: \*\*failed\*\*, started 2026-03-02 02:00 UTC \(schedule\): Zoho answered 503 \(HTTP 503\)/);
    expect(text).toMatch(/- \*\*cPod\*\*: ok, started 2026-03-02 04:00 UTC/);
    expect(text).not.toMatch(/cPod timed out/);
    expect(text).toMatch(/\*\*Open drift findings\*\* \(1\):/);
    expect(text).toMatch(/The vendor counts 3 seats in use, the ledger 2\. Compare "who has" with the assignments at the vendor/);
    expect(text).not.toMatch(/Old news/);
  });

  it('says when nothing has synced and nothing drifts, and is for admins only', async () => {
    const t = createTestBot([zoho]);
    const [empty] = await t.say(PEOPLE.ada, 'sync status');
    expect(empty?.markdown).toMatch(/No vendor has synced yet[\s\S]*No open drift findings\./);
    const [refused] = await t.say(PEOPLE.cy, 'sync status');
    expect(refused?.markdown).toMatch(/Admins only/);
  });
});
