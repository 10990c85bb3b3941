import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE, cardText } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';

const figma = makePool({
  externalId: 'fg',
  productName: 'Figma Professional',
  totalSeats: 9,
  consumedSeats: 0,
  expiryDate: '2026-03-20T00:00:00.000Z',
});
const zoho = makePool(
  {
    externalId: 'zc',
    productName: 'Zoho CRM Enterprise',
    vendor: 'zoho_crm',
    totalSeats: 25,
    consumedSeats: 0,
  },
  'zoho_crm',
);

/** Cy holds one time-bound seat; Dana Secret and Bob hold three more, all ending within the month. */
async function ledgerWithHolders() {
  const t = createTestBot([figma, zoho]);
  for (const [to, product, days] of [
    ['cy@example.com', 'figma professional', 10],
    ['dana.secret@example.com', 'figma professional', 5],
    ['dana.secret@example.com', 'zoho crm', 20],
    ['bob@example.com', 'zoho crm', 3],
  ] as const) {
    const [r] = await t.say(PEOPLE.ada, `grant ${product} to ${to} for ${days} days`);
    expect(r?.markdown).toMatch(/Seat granted/);
  }
  return t;
}

describe('expiring', () => {
  it("shows a non-admin only counts of other people's seats, and their own seats by name", async () => {
    const t = await ledgerWithHolders();
    for (const reply of [
      ...(await t.say(PEOPLE.cy, 'expiring 3650')),
      ...(await t.say(PEOPLE.cy, 'expiring')),
      ...(await t.click(PEOPLE.cy, { action: 'expiring.page', page: '0' })),
    ]) {
      const everything = `${reply.markdown}\n${cardText(reply)}`;
      expect(everything).not.toMatch(/dana|secret|bob/i);
      expect(everything).toContain('cy@example.com');
      expect(everything).toContain('3 other time-bound seats end within');
      expect(everything).toContain('admins see who holds them');
      // Licenses stay public, as on the summary card.
      expect(everything).toContain('Figma Professional');
      expect(reply.markdown).toMatch(/1 license · 4 time-bound seats/);
    }
  });

  it('counts others without naming anyone when the viewer holds none', async () => {
    const t = await ledgerWithHolders();
    const eve = { ...PEOPLE.cy, id: 'p-di', email: 'di@example.com', displayName: 'Di' };
    const [reply] = await t.say(eve, 'expiring in 30 days');
    expect(`${reply?.markdown}\n${cardText(reply)}`).not.toMatch(/dana|secret|bob|cy@/i);
    expect(reply?.markdown).toContain('4 time-bound seats end within 30 days; only admins see who holds them.');
  });

  it('names every holder for admins', async () => {
    const t = await ledgerWithHolders();
    const [reply] = await t.say(PEOPLE.bob, 'expiring 3650');
    const everything = `${reply?.markdown}\n${cardText(reply)}`;
    for (const who of ['cy@example.com', 'dana.secret@example.com', 'bob@example.com'])
      expect(everything).toContain(who);
    expect(everything).not.toContain('admins see who holds');
  });
});
