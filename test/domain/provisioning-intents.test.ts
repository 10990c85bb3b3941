import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, emptyLedger, type LicensePool } from '../../src/domain/ledger.js';
import { LedgerIndex } from '../../src/domain/ledger-view.js';
import { executeLedgerCommand } from '../../src/domain/execute-ledger-command.js';
import type { LedgerActor, LedgerCommand } from '../../src/domain/ledger-command.js';
import { provisionState } from '../../src/domain/provision-state.js';
import { migrateLedger } from '../../src/store/migrate-ledger.js';
import { makePool } from '../support/make-pool.js';

const ada: LedgerActor = { kind: 'person', personId: 'p-ada', email: 'ada@example.com', name: 'Ada', isAdmin: true };
const cy: LedgerActor = { kind: 'person', personId: 'p-cy', email: 'cy@example.com', name: 'Cy', isAdmin: false };
const system: LedgerActor = { kind: 'system', name: 'schedule' };

const webex = makePool({ externalId: 'lic-1', productName: 'Webex Meetings', totalSeats: 10, consumedSeats: 0, policy: { ...DEFAULT_POLICY, writeBack: true } }, 'webex');
const webexOff = makePool({ externalId: 'lic-2', productName: 'Webex Calling', totalSeats: 10, consumedSeats: 0 }, 'webex');
const zoho = makePool({ externalId: 'zc', productName: 'Zoho CRM', totalSeats: 10, consumedSeats: 0, policy: { ...DEFAULT_POLICY, writeBack: true } }, 'zoho_crm');

function ledger(...pools: LicensePool[]) {
  const data = emptyLedger();
  for (const p of pools) data.pools[p.id] = p;
  const index = new LedgerIndex(data);
  let n = 0;
  const run = (actor: LedgerActor, command: LedgerCommand) => {
    const out = executeLedgerCommand(index, { actor, command, source: 'chat', idempotencyKey: `key-${++n}`, now: '2026-03-01T10:00:00.000Z' });
    index.apply(out.changes);
    return out;
  };
  const seat = (pool: LicensePool): string => {
    const r = run(cy, { op: 'request', poolId: pool.id });
    if (!r.result.ok || r.result.assignmentId === null) throw new Error(r.result.message);
    return r.result.assignmentId;
  };
  return { index, run, seat };
}

describe('provisioning intents (write-back outbox)', () => {
  it('an approval queues one add in the same change list, before the idempotency record; a replay queues nothing', () => {
    const { index, run, seat } = ledger(webex);
    const id = seat(webex);
    expect(index.provisionsOf(id)).toEqual([]);
    const out = run(ada, { op: 'approve', assignmentId: id });
    const types = out.changes.map((c) => c.type);
    expect(types.indexOf('provision.put')).toBeGreaterThan(types.indexOf('assignment.put'));
    expect(types.indexOf('provision.put')).toBeLessThan(types.indexOf('idempotency.put'));
    expect(index.provisionsOf(id)).toEqual([expect.objectContaining({ id: `${id}#p1`, op: 'add', status: 'queued', attempts: 0, vendor: 'webex', seq: 0 })]);
    expect(provisionState(index, id)).toMatchObject({ text: 'assigning in Webex…', actionable: false, assigned: false });
    const replay = executeLedgerCommand(index, { actor: ada, command: { op: 'approve', assignmentId: id }, source: 'chat', idempotencyKey: 'key-2', now: '2026-03-01T10:00:00.000Z' });
    expect(replay.changes).toEqual([]);
  });

  it('auto-approval and a direct grant queue an add too', () => {
    const auto = makePool({ externalId: 'lic-3', productName: 'Webex Webinars', totalSeats: 10, consumedSeats: 0, policy: { ...DEFAULT_POLICY, approval: 'auto', writeBack: true } }, 'webex');
    const { index, run, seat } = ledger(auto, webex);
    const id = seat(auto);
    expect(index.assignment(id)?.status).toBe('active');
    expect(index.provisionsOf(id)).toEqual([expect.objectContaining({ op: 'add', status: 'queued' })]);
    const granted = run(ada, { op: 'grant', poolId: webex.id, assignee: { email: 'dee@example.com' } });
    expect(granted.result.ok).toBe(true);
    if (granted.result.ok && granted.result.assignmentId !== null) expect(index.provisionsOf(granted.result.assignmentId)).toHaveLength(1);
  });

  it('nothing is queued with write-back off, for read-only vendors, or for a refused command', () => {
    const { index, run, seat } = ledger(webexOff, zoho, webex);
    for (const pool of [webexOff, zoho]) {
      const id = seat(pool);
      run(ada, { op: 'approve', assignmentId: id });
      expect(index.provisionsOf(id)).toEqual([]);
    }
    const id = seat(webex);
    const refused = run(cy, { op: 'approve', assignmentId: id });
    expect(refused.result.ok).toBe(false);
    expect(index.provisionsOf(id)).toEqual([]);
  });

  it('a release after an assignment queues one remove; the worker settles through the ledger; a second settle is refused', () => {
    const { index, run, seat } = ledger(webex);
    const id = seat(webex);
    run(ada, { op: 'approve', assignmentId: id });
    const settled = run(system, { op: 'settleProvision', intentId: `${id}#p1`, status: 'done', attempts: 1, reason: 'assigned', calledAt: '2026-03-01T10:00:01.000Z' });
    expect(settled.result.ok).toBe(true);
    expect(settled.changes.map((c) => c.type)).toEqual(['provision.put', 'audit.add', 'idempotency.put']);
    expect(provisionState(index, id)).toMatchObject({ text: 'assigned in Webex ✓', assigned: true });
    expect(run(system, { op: 'settleProvision', intentId: `${id}#p1`, status: 'done', attempts: 2 }).result).toMatchObject({ ok: false, code: 'LEDGER_WRONG_STATE' });
    expect(run(ada, { op: 'settleProvision', intentId: `${id}#p1`, status: 'done', attempts: 2 }).result).toMatchObject({ ok: false, code: 'LEDGER_FORBIDDEN' });
    run(cy, { op: 'release', assignmentId: id });
    expect(index.provisionsOf(id).at(-1)).toMatchObject({ id: `${id}#p2`, op: 'remove', status: 'queued' });
    expect(provisionState(index, id)?.text).toBe('removing in Webex…');
  });

  it('a refused add is shown with its reason and can be retried or cancelled by admins only; no remove follows a refused add', () => {
    const { index, run, seat } = ledger(webex);
    const id = seat(webex);
    run(ada, { op: 'approve', assignmentId: id });
    run(system, { op: 'settleProvision', intentId: `${id}#p1`, status: 'refused', attempts: 1, reason: '206 Partial Content: Webex did not assign license lic-1' });
    expect(provisionState(index, id)).toMatchObject({ text: 'Webex refused: 206 Partial Content: Webex did not assign license lic-1', actionable: true });
    expect(run(cy, { op: 'retryProvision', intentId: `${id}#p1` }).result).toMatchObject({ ok: false, code: 'LEDGER_FORBIDDEN' });
    expect(run(ada, { op: 'retryProvision', intentId: `${id}#p1` }).result).toMatchObject({ ok: true });
    expect(index.provisionsOf(id).at(-1)).toMatchObject({ status: 'queued', attempts: 0, rounds: 1 });
    // A queued one cannot be cancelled (the worker may be calling the vendor for it); a refused one can.
    expect(run(ada, { op: 'cancelProvision', intentId: `${id}#p1` }).result).toMatchObject({ ok: false, code: 'LEDGER_WRONG_STATE' });
    run(system, { op: 'settleProvision', intentId: `${id}#p1`, status: 'refused', attempts: 1, reason: 'still no' });
    expect(run(ada, { op: 'cancelProvision', intentId: `${id}#p1` }).result).toMatchObject({ ok: true });
    run(cy, { op: 'release', assignmentId: id });
    expect(index.provisionsOf(id)).toHaveLength(1);
  });

  it('a hold pauses write-back until an admin resumes; resuming requeues what was paused', () => {
    const { index, run, seat } = ledger(webex);
    const id = seat(webex);
    run(ada, { op: 'approve', assignmentId: id });
    run(system, { op: 'settleProvision', intentId: `${id}#p1`, status: 'paused', attempts: 1, reason: 'HTTP 403', hold: { id: 'webex', reason: 'Webex refused: needs spark-admin:people_write' } });
    expect(index.provisionHolds()).toEqual([expect.objectContaining({ id: 'webex' })]);
    expect(provisionState(index, id)?.text).toBe('write-back to Webex paused: HTTP 403');
    const resumed = run(ada, { op: 'resumeWriteBack' });
    expect(resumed.result.ok).toBe(true);
    expect(index.provisionHolds()).toEqual([]);
    expect(index.provisionsOf(id).at(-1)).toMatchObject({ status: 'queued' });
  });

  it('old ledger files without provisions read as empty; the new collections survive a migration round trip', () => {
    const { provisions: _p, provisionHolds: _h, ...old } = emptyLedger();
    const migrated = migrateLedger(JSON.parse(JSON.stringify(old)), 'ledger.json');
    expect(migrated.data.provisions).toEqual({});
    expect(migrated.data.provisionHolds).toEqual({});
    expect(new LedgerIndex(migrated.data).provisionCount()).toBe(0);
  });

  it('setPolicy refuses write-back on read-only vendors', () => {
    const { run } = ledger(zoho);
    expect(run(ada, { op: 'setPolicy', poolId: zoho.id, policy: { writeBack: true } }).result).toMatchObject({
      ok: false,
      message: 'Zoho CRM is read-only for the bot: it cannot assign or remove seats there, so write-back stays off for Zoho CRM.',
    });
  });
});
