import { describe, expect, it } from 'vitest';
import { createTestBot, PEOPLE } from '../support/test-bot.js';
import { makePool } from '../support/make-pool.js';
import { DEFAULT_POLICY } from '../../src/domain/ledger.js';

const zoho = makePool({ externalId: 'zc', productName: 'Zoho CRM', totalSeats: 50, consumedSeats: 0 });
const policyOf = (t: ReturnType<typeof createTestBot>) => t.store.read().pool(zoho.id)?.policy;

describe('policy commands', () => {
  it('shows the policy, and sets each setting through the ledger with an audit event', async () => {
    const t = createTestBot([zoho]);
    const [shown] = await t.say(PEOPLE.ada, 'policy zoho crm');
    expect(shown?.markdown).toBe('**Zoho CRM**: approval required, alert at 1 free, reclaim off, write-back off.');

    const [approval] = await t.say(PEOPLE.ada, 'policy zoho crm approval auto');
    expect(approval?.markdown).toBe('Zoho CRM: approval auto, alert at 1 free, reclaim off, write-back off.');
    const [minFree] = await t.say(PEOPLE.ada, 'policy zoho crm min-free 3');
    expect(minFree?.markdown).toBe('Zoho CRM: approval auto, alert at 3 free, reclaim off, write-back off.');
    const [reclaim] = await t.say(PEOPLE.ada, 'policy zoho crm reclaim ask');
    expect(reclaim?.markdown).toBe('Zoho CRM: approval auto, alert at 3 free, reclaim ask, write-back off.');
    const [limit] = await t.say(PEOPLE.ada, 'Policy Zoho CRM auto-limit 2');
    expect(limit?.markdown).toBe('Zoho CRM: approval auto (at most 2 a day), alert at 3 free, reclaim ask, write-back off.');
    expect(policyOf(t)).toEqual({ approval: 'auto', minFreeSeats: 3, reclaim: 'ask', autoApprovalsPerDay: 2 });

    const [again] = await t.say(PEOPLE.bob, 'show the policy for zoho crm');
    expect(again?.markdown).toBe('**Zoho CRM**: approval auto (at most 2 a day), alert at 3 free, reclaim ask, write-back off.');
    const [off] = await t.say(PEOPLE.ada, 'policy zoho crm auto-limit off');
    expect(off?.markdown).toBe('Zoho CRM: approval auto, alert at 3 free, reclaim ask, write-back off.');

    const changes = t.store.read().data.audit.filter((e) => e.action === 'pool.policy_changed');
    expect(changes).toHaveLength(5);
    expect(changes[0]).toMatchObject({ poolId: zoho.id, actor: { personId: 'p-ada' }, before: DEFAULT_POLICY, after: { approval: 'auto' } });
  });

  it.each([
    ['policy zoho crm approval maybe', /Approval must be auto or required/],
    ['policy zoho crm approval', /Approval must be auto or required/],
    ['policy zoho crm min-free lots', /minimum free seats must be a whole number/],
    ['policy zoho crm min-free 2.5', /minimum free seats must be a whole number/],
    ['policy zoho crm min-free 100001', /minimum free seats must be a whole number from 0 to 100000/],
    ['policy zoho crm reclaim sometimes', /Reclaim must be off, ask or auto/],
    ['policy zoho crm auto-limit many', /daily auto-approval limit must be a whole number or off/],
  ])('refuses "%s" with a clear message and changes nothing', async (text, message) => {
    const t = createTestBot([zoho]);
    const [reply] = await t.say(PEOPLE.ada, text);
    expect(reply?.markdown).toMatch(/Cannot do that/);
    expect(reply?.markdown).toMatch(message);
    expect(policyOf(t)).toEqual(DEFAULT_POLICY);
    expect(t.store.read().data.audit.filter((e) => e.action === 'pool.policy_changed')).toEqual([]);
  });

  it('refuses non-admins politely, shows them nothing and audits the attempt', async () => {
    const t = createTestBot([zoho]);
    for (const text of ['policy zoho crm', 'policy zoho crm approval auto']) {
      const [reply] = await t.say(PEOPLE.cy, text);
      expect(reply?.markdown).toMatch(/Admins only/);
      expect(reply?.markdown).toMatch(/Only license admins may/);
      expect(t.store.read().data.audit.at(-1)).toMatchObject({ action: 'attempt.refused', actor: { personId: 'p-cy' } });
    }
    expect(policyOf(t)).toEqual(DEFAULT_POLICY);
  });
});

describe('daily auto-approval limit', () => {
  it('lets the (N+1)th request of the day wait for an admin, and approves automatically again the next day', async () => {
    const t = createTestBot([zoho], { timeZone: 'Europe/Berlin' });
    await t.say(PEOPLE.ada, 'policy zoho crm approval auto');
    await t.say(PEOPLE.ada, 'policy zoho crm auto-limit 2');
    const status = () => Object.values(t.store.read().data.assignments).map((s) => s.status);

    t.clock.set('2026-03-02T09:00:00.000Z');
    await t.say(PEOPLE.cy, 'request zoho crm');
    await t.say(PEOPLE.bob, 'request zoho crm');
    expect(status()).toEqual(['active', 'active']);
    // 23:30 in Berlin: still the same calendar day there.
    t.clock.set('2026-03-02T22:30:00.000Z');
    const [third] = await t.say(PEOPLE.eve, 'request zoho crm');
    expect(third?.markdown).toMatch(/Your request for Zoho CRM is waiting for an admin: today's 2 automatic approvals are used up\./);
    expect(status()).toEqual(['active', 'active', 'pending']);
    expect(t.sent.some((r) => JSON.stringify(r.card ?? {}).includes('seat.approve'))).toBe(true);

    // 00:30 in Berlin the next day (still March 2nd in UTC): automatic again.
    t.clock.set('2026-03-02T23:30:00.000Z');
    const [nextDay] = await t.say(PEOPLE.ada, 'request zoho crm');
    expect(nextDay?.card).toBeDefined();
    expect(status()).toEqual(['active', 'active', 'pending', 'active']);
  });
});
