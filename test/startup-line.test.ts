import { describe, expect, it } from 'vitest';
import { startupLine } from '../src/startup-line.js';

describe('startupLine', () => {
  it('says mode, URLs, data location, vendors and next runs in the schedule time zone', () => {
    const line = startupLine({
      mode: 'live',
      urls: [{ label: 'webhook', url: 'https://bot.example.com/webex/webhook' }],
      dataDir: '/srv/license-bot/data',
      vendors: ['webex', 'zoho_crm'],
      nextRuns: [
        { job: 'vendor-sync', at: new Date('2026-11-29T21:00:00Z') },
        { job: 'daily-digest', at: null },
      ],
      timezone: 'Europe/Berlin',
    });
    expect(line).toBe(
      'license-bot ready (live): webhook https://bot.example.com/webex/webhook; data /srv/license-bot/data; ' +
        'vendors Webex, Zoho CRM; next vendor-sync Sun 29 Nov 22:00, daily-digest not scheduled (Europe/Berlin)',
    );
  });

  it('names the PostgreSQL database (never a password), this instance and whether it leads', () => {
    const facts = { mode: 'live', urls: [], dataDir: '/d', vendors: [], nextRuns: [], timezone: 'UTC' } as const;
    const follower = startupLine({ ...facts, cluster: { database: 'postgres://bot@db.internal:5432/seats', instance: 'web-2', leader: false } });
    expect(follower).toContain('; ledger postgres://bot@db.internal:5432/seats as web-2 (follower: cron jobs run on the leader); data /d;');
    const leader = startupLine({ ...facts, cluster: { database: 'postgres://bot@db.internal:5432/seats', instance: 'web-1', leader: true } });
    expect(leader).toContain('as web-1 (leader); data /d;');
  });

  it('says so when no vendor and no job is configured', () => {
    const line = startupLine({ mode: 'sandbox', urls: [], dataDir: '/d', vendors: [], nextRuns: [], timezone: 'UTC' });
    expect(line).toContain('vendors none configured; next nothing scheduled (UTC)');
  });
});
