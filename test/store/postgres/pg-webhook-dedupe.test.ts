import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_SCHEMA_SQL } from '../../../src/store/postgres/cluster-schema.js';
import { createPgWebhookDedupe, type PgWebhookDedupe } from '../../../src/store/postgres/pg-webhook-dedupe.js';
import { createReceiver, type EventOutcome, type Receiver, type WebhookEnvelope } from '../../../src/webex/receiver.js';
import { createSharedWebhookDedupe } from '../../../src/webex/shared-webhook-dedupe.js';
import { signBody } from '../../../src/webex/sign-body.js';
import { capturingLogger } from '../../support/fake-webex-harness.js';
import { createTestDatabase, pgMissing, type TestDatabase } from '../../support/pg-database.js';
import { startLoopbackServer, type LoopbackServer } from '../../support/start-loopback-server.js';

const SECRET = 'shared-dedupe-secret-0123456789ab';
const PATH = '/webex/webhook';
const fixture = readFileSync(new URL('../../fixtures/webex/messages.created.json', import.meta.url));

/** The fixture with its own message id, signed as Webex would. */
function delivery(dataId: string): { body: string; signature: string } {
  const e = JSON.parse(fixture.toString('utf8')) as { data: { id: string } };
  e.data.id = dataId;
  const body = JSON.stringify(e);
  return { body, signature: signBody(body, SECRET) };
}

async function post(url: string, d: { body: string; signature: string }): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-signature': d.signature },
    body: d.body,
  });
  return { status: res.status, json: await res.json() };
}

describe.skipIf(await pgMissing())('webhook dedupe shared through PostgreSQL', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 6 });
    pool.on('error', () => undefined);
    await pool.query(CLUSTER_SCHEMA_SQL);
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await pool.end();
    await db.drop();
  });

  function claims(ttlMs?: number): PgWebhookDedupe {
    const c = createPgWebhookDedupe({ pool, logger: capturingLogger().logger, ...(ttlMs === undefined ? {} : { ttlMs }) });
    cleanups.push(() => c.stop());
    return c;
  }

  /** One bot instance's receiver on loopback, its dedupe in the shared database. */
  async function instance(outcome: (e: WebhookEnvelope) => EventOutcome = () => 'handled'): Promise<{
    receiver: Receiver;
    url: string;
    processed: string[];
  }> {
    const { logger } = capturingLogger();
    const processed: string[] = [];
    const receiver = createReceiver({
      path: PATH,
      secrets: [SECRET],
      logger,
      onEvent: (e) => {
        processed.push(e.data.id);
        return Promise.resolve(outcome(e));
      },
      health: () => ({ status: 'ok' }),
      dedupe: createSharedWebhookDedupe({ claims: claims(), logger }),
    });
    const server: LoopbackServer = await startLoopbackServer(receiver.app);
    cleanups.push(async () => {
      await receiver.drain();
      await server.close();
    });
    return { receiver, url: `${server.url}${PATH}`, processed };
  }

  it('claims a key once, reports the replay, and frees it on release', async () => {
    const c = claims();
    expect(await c.claim('messages:created:k1')).toBe(true);
    expect(await c.claim('messages:created:k1')).toBe(false);
    await c.release('messages:created:k1');
    expect(await c.claim('messages:created:k1')).toBe(true);
  });

  it('prunes claims older than the TTL and lets an expired claim be taken again before the prune', async () => {
    const c = claims(15 * 60_000);
    await pool.query(`insert into webhook_deliveries (key, seen_at) values ('old-1', now() - interval '16 minutes'), ('old-2', now() - interval '20 minutes')`);
    expect(await c.claim('fresh')).toBe(true);
    expect(await c.claim('old-1')).toBe(true);
    expect(await c.prune()).toBe(1);
    const { rows } = await pool.query<{ key: string }>('select key from webhook_deliveries order by key');
    expect(rows.map((r) => r.key)).toEqual(expect.arrayContaining(['fresh', 'old-1']));
    expect(rows.map((r) => r.key)).not.toContain('old-2');
  });

  it('processes the same delivery posted to two instances exactly once', async () => {
    const a = await instance();
    const b = await instance();
    const ids = Array.from({ length: 20 }, (_, i) => `msg-${i}`);
    const answers = await Promise.all(ids.flatMap((id) => [post(a.url, delivery(id)), post(b.url, delivery(id))]));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(answers.filter((r) => (r.json as { duplicate?: boolean }).duplicate === true)).toHaveLength(ids.length);
    await Promise.all([a.receiver.drain(), b.receiver.drain()]);
    expect([...a.processed, ...b.processed].sort()).toEqual([...ids].sort());
  });

  it('processes a redelivery on the other instance after the first could not read the content', async () => {
    const a = await instance(() => 'unread');
    const b = await instance();
    const d = delivery('msg-unread');
    expect(await post(a.url, d)).toEqual({ status: 200, json: { ok: true } });
    await a.receiver.drain();
    expect(a.processed).toEqual(['msg-unread']);

    expect(await post(b.url, d)).toEqual({ status: 200, json: { ok: true } });
    await b.receiver.drain();
    expect(b.processed).toEqual(['msg-unread']);
    // Now B holds it: a further replay to either instance is a duplicate.
    expect(await post(a.url, d)).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    expect(await post(b.url, d)).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    await Promise.all([a.receiver.drain(), b.receiver.drain()]);
    expect([...a.processed, ...b.processed]).toHaveLength(2);
  });

  it('fails open when the database is unreachable: the delivery is processed and the outage is warned', async () => {
    const { logger, logs } = capturingLogger();
    const down = new pg.Pool({ connectionString: 'postgres://root@127.0.0.1:1/none', connectionTimeoutMillis: 1000 });
    down.on('error', () => undefined);
    const unreachable = createPgWebhookDedupe({ pool: down, logger });
    cleanups.push(() => unreachable.stop(), () => down.end());
    const processed: string[] = [];
    const receiver = createReceiver({
      path: PATH,
      secrets: [SECRET],
      logger,
      onEvent: (e) => {
        processed.push(e.data.id);
        return Promise.resolve();
      },
      health: () => ({ status: 'ok' }),
      dedupe: createSharedWebhookDedupe({ claims: unreachable, logger }),
    });
    const server = await startLoopbackServer(receiver.app);
    cleanups.push(() => server.close());
    const d = delivery('msg-db-down');
    expect(await post(`${server.url}${PATH}`, d)).toEqual({ status: 200, json: { ok: true } });
    // The local filter still catches a replay to this instance.
    expect(await post(`${server.url}${PATH}`, d)).toEqual({ status: 200, json: { ok: true, duplicate: true } });
    await receiver.drain();
    expect(processed).toEqual(['msg-db-down']);
    expect(logs.some((l) => l.level === 40 && String(l.msg).includes('deduplicating on this instance only'))).toBe(true);
  });
});
