import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { emptyLedger } from '../../src/domain/ledger.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { createBot } from '../../src/bot/bot.js';
import { makePool } from '../support/make-pool.js';
import { PEOPLE } from '../support/test-bot.js';

describe('policy <product> write-back', () => {
  it('turns it on, shows it, and warns when WRITE_BACK_VENDORS leaves the vendor out', async () => {
    const webex = makePool({ externalId: 'lic-1', productName: 'Webex Meetings', totalSeats: 5, consumedSeats: 0 }, 'webex');
    const data = emptyLedger();
    data.pools[webex.id] = webex;
    const store = createMemorySeatStore(data);
    const bot = createBot({
      store,
      clock: fixedClock('2026-03-02T09:00:00.000Z'),
      logger: createLogger({ level: 'silent' }),
      access: { adminEmails: ['ada@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] },
      outbox: { send: () => Promise.resolve(), deliver: (r) => Promise.resolve(r.map(() => ({ ok: true as const, messageId: 'm' }))) },
      sync: null,
      writeBackVendors: ['cpod'],
    });
    const say = async (text: string) => (await bot.handle({ kind: 'message', id: `m-${text}`, roomId: 'room-ada', roomType: 'direct', person: PEOPLE.ada, text, mentionedBot: true, parentId: null }))[0]?.markdown;
    expect(await say('policy webex meetings')).toBe('**Webex Meetings**: approval required, alert at 1 free, reclaim off, write-back off.');
    expect(await say('policy webex meetings write-back on')).toBe(
      'Webex Meetings: approval required, alert at 1 free, reclaim off, write-back on. Nothing is written to Webex until WRITE_BACK_VENDORS includes it.',
    );
    expect(store.read().pool(webex.id)?.policy.writeBack).toBe(true);
    expect(await say('policy webex meetings write back off')).toBe('Webex Meetings: approval required, alert at 1 free, reclaim off, write-back off.');
    expect(store.read().data.audit.filter((e) => e.action === 'pool.policy_changed')).toHaveLength(2);
  });
});
