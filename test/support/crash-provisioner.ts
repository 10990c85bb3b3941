// Child process for the write-back crash test: commits an approval (its provisioning intent in the same commit)
// to a lowdb store, prints `committed <seatId>`, then, in mode `after-call`, makes the Webex add itself and prints
// `called`; then idles until SIGKILLed, so the intent is never recorded as carried out.
// argv: <dir> <webexUrl> <token> <licenseId> <before-call|after-call>
import { systemClock } from '../../src/clock.js';
import { DEFAULT_POLICY } from '../../src/domain/ledger.js';
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { runLedgerCommand } from '../../src/store/run-ledger-command.js';
import { createWebexLicenseWriter } from '../../src/sync/vendors/webex/webex-license-writer.js';
import { makePool } from './make-pool.js';

const [dir, webexUrl, token, licenseId, mode] = process.argv.slice(2);
if (!dir || !webexUrl || !token || !licenseId || (mode !== 'before-call' && mode !== 'after-call')) throw new Error('usage: crash-provisioner <dir> <webexUrl> <token> <licenseId> <before-call|after-call>');

const store = await openLowdbSeatStore({ dir });
const pool = makePool({ externalId: licenseId, productName: 'Webex Meetings', totalSeats: 50, consumedSeats: 0, policy: { ...DEFAULT_POLICY, writeBack: true } }, 'webex');
await store.update(() => ({ changes: [{ type: 'pool.put', pool }], result: null }));
const cy = { kind: 'person', personId: 'p-cy', email: 'cy@example.com', name: 'Cy User', isAdmin: false } as const;
const ada = { kind: 'person', personId: 'p-ada', email: 'ada@example.com', name: 'Ada Admin', isAdmin: true } as const;
const asked = await runLedgerCommand(store, systemClock, { command: { op: 'request', poolId: pool.id }, actor: cy, source: 'chat', idempotencyKey: 'req-1' });
if (!asked.ok || asked.assignmentId === null) throw new Error(asked.message);
const approved = await runLedgerCommand(store, systemClock, { command: { op: 'approve', assignmentId: asked.assignmentId }, actor: ada, source: 'card', idempotencyKey: 'ok-1' });
if (!approved.ok) throw new Error(approved.message);
process.stdout.write(`committed ${asked.assignmentId}\n`);
if (mode === 'after-call') {
  const writer = createWebexLicenseWriter({ baseUrl: webexUrl, token, fetch: globalThis.fetch });
  const outcome = await writer.write({ op: 'add', licenseId, assignee: { id: 'p-cy', email: 'cy@example.com' }, expiresAt: null });
  process.stdout.write(`called ${outcome.kind}\n`);
}
setInterval(() => undefined, 60_000);
