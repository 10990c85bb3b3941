import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import type { JobOutbox, Outbox, Reply } from '../../src/bot/chat-event.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { jobTable } from '../../src/jobs/job-table.js';
import { webhookCheckJob, type WebhookCheckOutcome } from '../../src/jobs/webhook-check.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';

const logger = createLogger({ level: 'silent' });
const clock = fixedClock('2026-03-02T10:05:00.000Z');
const REACTIVATED: WebhookCheckOutcome = {
  ok: true,
  repairs: [{ action: 'reactivated', resource: 'all', event: 'all' }],
  errors: [],
};
const HEALTHY: WebhookCheckOutcome = { ok: true, repairs: [], errors: [] };
const LIST_FAILED: WebhookCheckOutcome = {
  ok: false,
  repairs: [],
  errors: ['listing the webhooks: HTTP 503'],
};

function setup(adminSpaceId: string | null) {
  const sent: Reply[] = [];
  const outbox: Outbox = { send: (r) => (sent.push(...r), Promise.resolve()) };
  const notices = createJobNotices({
    access: { adminEmails: ['ada@example.com', 'bob@example.com'], adminSpaceId, allowedEmailDomains: [] },
    vendors: [],
  });
  const outcomes: WebhookCheckOutcome[] = [];
  const job = webhookCheckJob({
    cron: '*/5 * * * *',
    check: () => Promise.resolve(outcomes.shift() ?? HEALTHY),
    outbox,
    notices,
    clock,
    logger,
  });
  return { sent, outcomes, job };
}

describe('webhook-check job', () => {
  it('posts one message to the admin space per outage, and none for healthy or failed checks', async () => {
    const { sent, outcomes, job } = setup('room-admins');
    outcomes.push(HEALTHY, REACTIVATED, REACTIVATED, LIST_FAILED, REACTIVATED, HEALTHY, REACTIVATED);
    await job.run(); // healthy
    expect(sent).toEqual([]);
    await job.run(); // outage: told
    expect(sent).toEqual([
      {
        to: { roomId: 'room-admins' },
        markdown: expect.stringMatching(/^\*\*Webex webhooks repaired\*\* at 2026-03-02 10:05 UTC/),
      },
    ]);
    await job.run(); // switched off again, same outage
    await job.run(); // listing failed: says nothing about the outage being over
    await job.run(); // still the same outage
    expect(sent).toHaveLength(1);
    await job.run(); // healthy: outage over
    await job.run(); // a new outage
    expect(sent).toHaveLength(2);
  });

  it('writes to each admin directly when there is no admin space', async () => {
    const { sent, outcomes, job } = setup(null);
    outcomes.push({
      ok: true,
      repairs: [{ action: 'recreated', resource: 'attachmentActions', event: 'created' }],
      errors: [],
    });
    await job.run();
    expect(sent.map((r) => r.to)).toEqual([
      { personEmail: 'ada@example.com' },
      { personEmail: 'bob@example.com' },
    ]);
    expect(sent[0]?.markdown).toMatch(/recreated the missing webhook for card clicks/);
  });

  it('tries to tell the admins again at the next repair when the message could not be sent', async () => {
    const sent: Reply[] = [];
    let fail = true;
    const outbox: Outbox = {
      send: (r) => {
        if (fail) return Promise.reject(new Error('Webex down'));
        sent.push(...r);
        return Promise.resolve();
      },
    };
    const notices = createJobNotices({
      access: { adminEmails: [], adminSpaceId: 'room-admins', allowedEmailDomains: [] },
      vendors: [],
    });
    const job = webhookCheckJob({
      cron: '* * * * *',
      check: () => Promise.resolve(REACTIVATED),
      outbox,
      notices,
      clock,
      logger,
    });
    await expect(job.run()).rejects.toThrow('Webex down');
    fail = false;
    await job.run();
    expect(sent).toHaveLength(1);
  });

  it('is in the job table, on WEBHOOK_CHECK_CRON, when a webhook check is given', () => {
    const outbox: JobOutbox = { send: () => Promise.resolve(), deliver: (r) => Promise.resolve(r.map(() => ({ ok: true as const }))) };
    const notices = createJobNotices({
      access: { adminEmails: [], adminSpaceId: null, allowedEmailDomains: [] },
      vendors: [],
    });
    const schedule = {
      timezone: 'UTC',
      syncCron: '0 * * * *',
      digestCron: '0 9 * * 1-5',
      reminderCron: '30 9 * * *',
      seatExpiryCron: '* * * * *',
      webhookCheckCron: '*/30 * * * * *',
      requestTtlDays: 14,
    };
    const base = {
      schedule,
      syncRunner: { run: () => Promise.reject(new Error('unused')) },
      store: createMemorySeatStore(),
      clock,
      outbox,
      notices,
      logger,
    };
    expect(jobTable(base).map((j) => j.name)).not.toContain('webhook-check');
    const jobs = jobTable({ ...base, webhookCheck: () => Promise.resolve(HEALTHY) });
    expect(jobs.map((j) => [j.name, j.cron]).at(-1)).toEqual(['webhook-check', '*/30 * * * * *']);
  });
});
