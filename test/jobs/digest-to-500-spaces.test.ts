// A digest to 500 spaces through the real send queue while Webex answers 429 (Retry-After) now and then:
// every space gets exactly one digest, and a second firing the same day sends none.
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createJobNotices } from '../../src/bot/job-notices.js';
import { runDailyDigest } from '../../src/jobs/daily-digest.js';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { createSendQueue } from '../../src/webex/send-queue.js';
import { capturingLogger, TOKEN } from '../support/fake-webex-harness.js';

const SPACES = 500;
const notices = createJobNotices({ access: { adminEmails: ['ada@example.com'], adminSpaceId: 'room-admins', allowedEmailDomains: [] }, vendors: ['cpod'] });

describe('digest to 500 spaces with intermittent 429s', () => {
  it('posts to every space exactly once', async () => {
    const clock = fixedClock('2026-03-02T08:00:00.000Z');
    const store = createMemorySeatStore();
    const rooms = Array.from({ length: SPACES }, (_, i) => `room-${String(i).padStart(3, '0')}`);
    await store.update(() => ({
      changes: rooms.map((roomId) => ({
        type: 'space.put' as const,
        space: { roomId, digest: true, title: roomId, updatedAt: clock.now().toISOString(), updatedBy: { kind: 'system' as const, name: 'schedule' as const } },
      })),
      result: null,
    }));
    const delivered = new Map<string, number>();
    const waits: number[] = [];
    let calls = 0;
    let throttled = 0;
    const stubFetch = (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
      calls++;
      // Every 7th POST is refused with 429 Retry-After: 2 (as Webex does under load), and retried by the queue.
      if (calls % 7 === 0) {
        throttled++;
        return Promise.resolve(new Response('{"message":"Too Many Requests"}', { status: 429, headers: { 'retry-after': '2', 'content-type': 'application/json' } }));
      }
      const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { roomId?: string };
      const roomId = body.roomId ?? '?';
      delivered.set(roomId, (delivered.get(roomId) ?? 0) + 1);
      return Promise.resolve(new Response(JSON.stringify({ id: `msg-${calls}`, roomId }), { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    const outbox = createSendQueue({
      apiUrl: 'http://webex.invalid/v1',
      token: TOKEN,
      fetch: stubFetch,
      logger: capturingLogger().logger,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      maxAttempts: 4,
      baseBackoffMs: 200,
    });

    const report = await runDailyDigest({ store, clock, outbox, notices, concurrency: 16 });
    expect(report).toEqual({ spaces: SPACES, skipped: 0, unsubscribed: 0, failed: 0 });
    expect(throttled).toBeGreaterThan(50);
    expect(waits).toContain(2000);
    expect([...delivered.keys()].sort()).toEqual(rooms);
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);

    clock.advance(3_600_000);
    const again = await runDailyDigest({ store, clock, outbox, notices, concurrency: 16 });
    expect(again).toMatchObject({ spaces: 0, skipped: SPACES });
    expect([...delivered.values()].every((n) => n === 1)).toBe(true);
  });
});
