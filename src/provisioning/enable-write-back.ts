import type { Clock } from '../clock.js';
import { WRITABLE_VENDORS, type Vendor } from '../domain/ledger.js';
import type { SeatStore } from '../store/seat-store.js';
import { runLedgerCommand } from '../store/run-ledger-command.js';

/**
 * Turns write-back on (audited `pool.policy_changed`, by the system) for every pool of `vendors` whose policy never
 * said on or off. The sandbox calls it after its first sync, so an approval there becomes an assignment in the
 * emulators; live, pools start with write-back off until an admin says `policy <product> write-back on`.
 */
export async function enableWriteBack(store: SeatStore, clock: Clock, vendors: readonly Vendor[]): Promise<number> {
  let n = 0;
  for (const pool of store.read().pools()) {
    if (!vendors.includes(pool.vendor) || !WRITABLE_VENDORS.includes(pool.vendor) || pool.retired || pool.policy.writeBack !== undefined) continue;
    const result = await runLedgerCommand(store, clock, {
      command: { op: 'setPolicy', poolId: pool.id, policy: { writeBack: true } },
      actor: { kind: 'system', name: 'sync' },
      source: 'sync',
      idempotencyKey: `sandbox-write-back:${pool.id}`,
    });
    if (result.ok) n++;
  }
  return n;
}
