import { describe, expect, it } from 'vitest';
import { createSharedWebhookDedupe, type SharedDeliveryClaims } from '../../src/webex/shared-webhook-dedupe.js';
import { capturingLogger } from '../support/fake-webex-harness.js';

/** Claims held in a Set standing in for the database shared by all instances. */
function sharedClaims(): SharedDeliveryClaims & { held: Set<string>; calls: string[]; failing: boolean } {
  const held = new Set<string>();
  const calls: string[] = [];
  const claims = {
    held,
    calls,
    failing: false,
    claim(key: string) {
      calls.push(`claim ${key}`);
      if (claims.failing) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      if (held.has(key)) return Promise.resolve(false);
      held.add(key);
      return Promise.resolve(true);
    },
    release(key: string) {
      calls.push(`release ${key}`);
      if (claims.failing) return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      held.delete(key);
      return Promise.resolve();
    },
  };
  return claims;
}

describe('createSharedWebhookDedupe', () => {
  it('processes a delivery on the instance whose claim wins and treats it as a replay on the other', async () => {
    const claims = sharedClaims();
    const { logger } = capturingLogger();
    const a = createSharedWebhookDedupe({ claims, logger });
    const b = createSharedWebhookDedupe({ claims, logger });
    expect(await a.seen('messages:created:1')).toBe(false);
    expect(await b.seen('messages:created:1')).toBe(true);
    expect(await a.seen('messages:created:1')).toBe(true);
  });

  it('answers a replay to the same instance from memory, without asking the shared store', async () => {
    const claims = sharedClaims();
    const a = createSharedWebhookDedupe({ claims, logger: capturingLogger().logger });
    await a.seen('k');
    expect(a.seen('k')).toBe(true);
    expect(claims.calls).toEqual(['claim k']);
  });

  it('after forget on the claiming instance, the next delivery is processed on whichever instance gets it', async () => {
    const claims = sharedClaims();
    const { logger } = capturingLogger();
    const a = createSharedWebhookDedupe({ claims, logger });
    const b = createSharedWebhookDedupe({ claims, logger });
    expect(await a.seen('k')).toBe(false);
    expect(await b.seen('k')).toBe(true); // a replay reached B while A held it
    await a.forget('k'); // A could not read the content
    expect(await b.seen('k')).toBe(false);
    expect(await a.seen('k')).toBe(true);
  });

  it('fails open to the local filter when the shared store errs, warning once per outage', async () => {
    const claims = sharedClaims();
    const { logger, logs } = capturingLogger();
    const a = createSharedWebhookDedupe({ claims, logger });
    claims.failing = true;
    expect(await a.seen('k1')).toBe(false);
    expect(await a.seen('k2')).toBe(false);
    expect(await a.seen('k1')).toBe(true); // still deduplicated on this instance
    await expect(a.forget('k2')).resolves.toBeUndefined();
    const warnings = logs.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ msg: expect.stringContaining('deduplicating on this instance only'), err: expect.anything() });
    claims.failing = false;
    expect(await a.seen('k3')).toBe(false);
    expect(logs.at(-1)).toMatchObject({ msg: 'shared webhook dedupe answers again', failures: 3 });
  });

  it('fails open when the shared store does not answer in time', async () => {
    const { logger } = capturingLogger();
    const never: SharedDeliveryClaims = { claim: () => new Promise(() => undefined), release: () => new Promise(() => undefined) };
    const a = createSharedWebhookDedupe({ claims: never, logger, timeoutMs: 20 });
    expect(await a.seen('k')).toBe(false);
    await expect(a.forget('k')).resolves.toBeUndefined();
  });
});
