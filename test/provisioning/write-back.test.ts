import { afterEach, describe, expect, it } from 'vitest';
import { PEOPLE, cardText } from '../support/test-bot.js';
import { startWriteBackHarness } from '../support/write-back-harness.js';

type Harness = Awaited<ReturnType<typeof startWriteBackHarness>>;
let h: Harness | null = null;
const harness = async (...args: Parameters<typeof startWriteBackHarness>): Promise<Harness> => (h = await startWriteBackHarness(...args));
afterEach(async () => {
  await h?.close();
  h = null;
});

const textOf = (r: { markdown: string }[]): string => r.map((x) => x.markdown).join('\n');

describe('write-back: approved means assigned', () => {
  it('an approval queues one intent in the same commit; the worker makes exactly one Webex add; my seats and the DM say assigned', async () => {
    const t = await harness();
    const seat = await t.approved(t.webexPool);
    expect(seat.status).toBe('active');
    expect(t.latest(seat.id)).toMatchObject({ op: 'add', status: 'queued', attempts: 0 });
    // The approval's decision card (Cy's DM) already shows the vendor state.
    expect(t.sent.some((r) => JSON.stringify(r.to).includes('p-cy') && cardText(r).includes('assigning in Webex…'))).toBe(true);
    const [mine] = await t.say(PEOPLE.cy, 'my seats');
    expect(cardText(mine)).toContain('assigning in Webex…');

    await t.worker.drain();
    expect(t.webexChanges()).toEqual([expect.objectContaining({ email: 'cy@example.com', licenseId: t.webexPool.externalId, operation: 'add', changed: true })]);
    expect(t.latest(seat.id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(textOf(t.sent)).toContain('Your **Webex Meetings** license is now yours: assigned in Webex ✓.');
    const [after] = await t.say(PEOPLE.cy, 'my seats');
    expect(cardText(after)).toContain('assigned in Webex ✓');

    // A second pass (or a second worker after a restart) changes nothing at the vendor.
    await t.newWorker().drain();
    expect(t.webexEmu.writes.filter((w) => w.operation === 'add')).toHaveLength(1);
  });

  it('206 Partial Content is a refusal with the vendor reason; holder and admins are told; an admin retry assigns it', async () => {
    const t = await harness();
    t.webexEmu.faults.set({ partial206: 1 });
    const seat = await t.approved(t.webexPool);
    await t.worker.drain();
    const refused = t.latest(seat.id);
    expect(refused).toMatchObject({ status: 'refused' });
    expect(refused?.reason).toMatch(/^206 Partial Content: Webex did not assign license /);
    expect(t.webexChanges()).toEqual([]);
    const sent = textOf(t.sent);
    expect(sent).toContain('Your **Webex Meetings** seat is approved, but Webex refused: 206 Partial Content');
    const [mine] = await t.say(PEOPLE.cy, 'my seats');
    expect(cardText(mine)).toContain('Webex refused: 206 Partial Content');
    // The admins' card: the reason, Retry and Cancel (admins only).
    const adminCard = t.sent.find((r) => 'roomId' in r.to && r.to.roomId === 'room-admins' && r.card !== undefined && cardText(r).includes('provision.retry'));
    expect(cardText(adminCard)).toContain('Vendor refused the change');
    expect(cardText(adminCard)).toContain('provision.cancel');
    expect(adminCard?.markdown).toContain('write-back retry Webex Meetings for cy@example.com');
    const [forbidden] = await t.click(PEOPLE.cy, { action: 'provision.retry', intentId: refused!.id });
    expect(forbidden?.markdown).toMatch(/Only license admins may retry vendor changes/);

    const [retried] = await t.click(PEOPLE.ada, { action: 'provision.retry', intentId: refused!.id }, { roomId: 'room-admins' });
    expect(retried?.markdown).toContain('Trying Webex again.');
    await t.worker.drain();
    expect(t.latest(seat.id)).toMatchObject({ status: 'done' });
    expect(t.webexChanges()).toHaveLength(1);
  });

  it('a 400 LicenseError is a refusal naming the error code and description', async () => {
    const t = await harness();
    t.webexEmu.faults.set({ writeError: { count: 1, errorCode: 400404, description: 'User cannot have both Webex Calling Professional and Standard License together.' } });
    const seat = await t.approved(t.webexPool);
    await t.worker.drain();
    expect(t.latest(seat.id)?.reason).toBe('User cannot have both Webex Calling Professional and Standard License together. (error 400404)');
    // Retry by chat works too, and Cancel gives it up: nothing more is sent for it.
    const [cancelled] = await t.say(PEOPLE.ada, 'write-back cancel webex meetings for cy@example.com');
    expect(cancelled?.markdown).toContain('The change at Webex is cancelled');
    await t.worker.drain();
    expect(t.latest(seat.id)?.status).toBe('cancelled');
    expect(t.webexChanges()).toEqual([]);
  });

  it('429 with Retry-After, then success: one effective add', async () => {
    const t = await harness();
    t.webexEmu.faults.set({ status429: { count: 2, retryAfterSec: 1 } });
    const seat = await t.approved(t.webexPool);
    await t.worker.drain();
    expect(t.latest(seat.id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(t.webexEmu.requests.filter((r) => r.status === 429)).toHaveLength(2);
    expect(t.webexChanges()).toHaveLength(1);
  });

  it('a crash after the commit and before the call: a fresh worker makes the one add; after the call and before the record: no second add', async () => {
    const t = await harness();
    const seat = await t.approved(t.webexPool);
    // Crash 1: nothing ran. The next start's worker finds the intent queued.
    await t.newWorker().drain();
    expect(t.webexChanges()).toHaveLength(1);
    expect(t.latest(seat.id)?.status).toBe('done');

    // Crash 2: the vendor call happened, the outcome was never recorded (intent still queued).
    const other = await t.approved(t.webexPool, PEOPLE.bob);
    const intent = t.latest(other.id)!;
    await t.writers[0]!.write({ op: 'add', licenseId: t.webexPool.externalId, assignee: { id: other.assignee.id, email: other.assignee.email }, expiresAt: null });
    expect(t.latest(other.id)?.status).toBe('queued');
    await t.newWorker().drain();
    expect(t.latest(other.id)).toMatchObject({ id: intent.id, status: 'done', reason: 'Webex already lists the license for the user' });
    expect(t.webexChanges().filter((w) => w.email === 'bob@example.com')).toHaveLength(1);
  });

  it('release, revoke and expiry each make one removal', async () => {
    const t = await harness();
    const cy = await t.approved(t.webexPool);
    const bob = await t.approved(t.webexPool, PEOPLE.bob);
    await t.worker.drain();
    expect(t.webexChanges()).toHaveLength(2);

    await t.say(PEOPLE.cy, 'release webex meetings');
    await t.say(PEOPLE.ada, 'revoke webex meetings from bob@example.com');
    expect(t.latest(cy.id)).toMatchObject({ op: 'remove', status: 'queued' });
    expect(t.latest(bob.id)).toMatchObject({ op: 'remove', status: 'queued' });
    await t.worker.drain();
    const removals = t.webexChanges().filter((w) => w.operation === 'remove');
    expect(removals.map((w) => w.email).sort()).toEqual(['bob@example.com', 'cy@example.com']);
    expect(t.latest(cy.id)).toMatchObject({ status: 'done' });
  });

  it('cPod: an approval creates one assignment; a release revokes it (falling back to DELETE when the server serves only that)', async () => {
    const t = await harness();
    t.cpodEmu.revokeForms = ['delete'];
    const seat = await t.approved(t.cpodPool);
    await t.worker.drain();
    expect(t.cpodEmu.writes).toEqual([expect.objectContaining({ op: 'create', licenseId: t.cpodPool.externalId, assigneeEmail: 'cy@example.com' })]);
    expect(t.latest(seat.id)).toMatchObject({ status: 'done' });
    await t.newWorker().drain();
    expect(t.cpodEmu.writes).toHaveLength(1);

    await t.say(PEOPLE.cy, 'release figma');
    await t.worker.drain();
    expect(t.cpodEmu.writes.map((w) => `${w.op}:${w.form ?? ''}`)).toEqual(['create:', 'revoke:delete']);
    expect(t.latest(seat.id)).toMatchObject({ op: 'remove', status: 'done' });
  });

  it('never removes a seat the bot did not assign: a seat granted before write-back was on gets no removal', async () => {
    const t = await harness();
    await t.say(PEOPLE.ada, 'policy webex meetings write-back off');
    const seat = await t.approved(t.webexPool);
    expect(t.store.read().provisionsOf(seat.id)).toEqual([]);
    await t.say(PEOPLE.ada, 'policy webex meetings write-back on');
    await t.say(PEOPLE.cy, 'release webex meetings');
    expect(t.store.read().provisionsOf(seat.id)).toEqual([]);
    await t.worker.drain();
    expect(t.webexEmu.writes).toEqual([]);
  });

  it('policy write-back on is refused for read-only vendors with a plain sentence', async () => {
    const t = await harness();
    const [shown] = await t.say(PEOPLE.ada, 'policy webex meetings');
    expect(shown?.markdown).toContain('write-back on');
    const zoho = await import('../support/make-pool.js').then((m) => m.makePool({ externalId: 'zc', productName: 'Zoho CRM' }, 'zoho_crm'));
    await t.store.update(() => ({ changes: [{ type: 'pool.put', pool: zoho }], result: null }));
    const [reply] = await t.say(PEOPLE.ada, 'policy zoho crm write-back on');
    expect(reply?.markdown).toContain('Zoho CRM is read-only for the bot: it cannot assign or remove seats there, so write-back stays off for Zoho CRM.');
  });

  it('the removal brake trips past the hourly limit, alerts the admins once, and resumes on "write-back resume"', async () => {
    const t = await harness({ maxRemovalsPerHour: 2 });
    const fay = { id: 'p-fay', email: 'fay@example.com', displayName: 'Fay User' };
    const gus = { id: 'p-gus', email: 'gus@example.com', displayName: 'Gus User' };
    const people = [PEOPLE.cy, fay, gus, PEOPLE.bob];
    const seats = [];
    for (const p of people) seats.push(await t.approved(t.webexPool, p));
    await t.worker.drain();
    for (const p of people) await t.say(p, 'release webex meetings');
    await t.worker.drain();
    await t.worker.drain();
    expect(t.webexChanges().filter((w) => w.operation === 'remove')).toHaveLength(2);
    const statuses = seats.map((s) => t.latest(s.id)?.status);
    expect(statuses.filter((s) => s === 'done')).toHaveLength(2);
    expect(statuses.filter((s) => s !== 'done')).toHaveLength(2);
    const alerts = t.sent.filter((r) => r.markdown.includes('Seat removals at the vendors are paused'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.to).toEqual({ roomId: 'room-admins' });
    const [status] = await t.say(PEOPLE.ada, 'write-back');
    expect(status?.markdown).toContain('paused (removals)');

    const [resumed] = await t.say(PEOPLE.ada, 'write-back resume');
    expect(resumed?.markdown).toMatch(/^Write-back resumed; \d paused change/);
    await t.worker.drain();
    expect(t.webexChanges().filter((w) => w.operation === 'remove')).toHaveLength(4);
    expect(seats.map((s) => t.latest(s.id)?.status)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('dry run makes no vendor call and shows the exact calls', async () => {
    const t = await harness({ dryRun: true });
    const seat = await t.approved(t.webexPool);
    await t.worker.drain();
    expect(t.webexEmu.requests).toEqual([]);
    expect(t.worker.dryRunCalls.some((c) => c.startsWith(`PATCH ${t.webexEmu.url}/licenses/users {"email":"cy@example.com","licenses":[{"id":"${t.webexPool.externalId}","operation":"add"}]}`))).toBe(true);
    expect(t.latest(seat.id)).toMatchObject({ status: 'paused' });
    expect(t.latest(seat.id)?.reason).toMatch(/^dry run \(WRITE_BACK_DRY_RUN\), not sent: GET /);
  });

  it('a vendor 401/403 pauses write-back to that vendor naming the missing scope', async () => {
    const t = await harness();
    t.webexEmu.faults.set({ writeError: { count: 1, status: 403, description: 'Insufficient privileges' } });
    const seat = await t.approved(t.webexPool);
    await t.worker.drain();
    expect(t.latest(seat.id)).toMatchObject({ status: 'paused' });
    expect(t.latest(seat.id)?.reason).toContain('spark-admin:people_write');
    expect(t.sent.filter((r) => r.markdown.includes('Write-back to Webex is paused'))).toHaveLength(1);
  });
});
