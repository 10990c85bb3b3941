import type { DriftKind, PoolSourceKind } from '../../domain/ledger.js';
import type { WorkingDiff } from './plan-context.js';

/** Pools whose holders the vendor lists one by one; only for these can consumed be checked against seats. */
const LISTS_HOLDERS: ReadonlySet<PoolSourceKind> = new Set<PoolSourceKind>([
  'webex.license', 'meraki.device_license_group', 'meraki.sm_seats', 'zoho.user_licenses', 'cpod.software_license',
]);

export interface Holding {
  message: string;
  vendorValue: number | string | null;
  ledgerValue: number | string | null;
}

/** `writtenMissing`: seats write-back assigned at the vendor (before the snapshot) that it did not list. */
export function driftHolding(diff: WorkingDiff, vendorActive: number, botOnly: number, writtenMissing = 0): Map<DriftKind, Holding> {
  const holds = new Map<DriftKind, Holding>();
  const { pool, before } = diff;
  if (!diff.reported || !pool.metered) return holds;
  const ledgerActive = vendorActive + botOnly;
  if (LISTS_HOLDERS.has(pool.sourceKind) && pool.consumedSeats !== null && pool.consumedSeats !== ledgerActive) {
    holds.set('consumed_mismatch', {
      message: `${pool.productName}: the vendor reports ${pool.consumedSeats} seats in use, the ledger counts ${ledgerActive} (${vendorActive} seen at the vendor + ${botOnly} granted by the bot only)`,
      vendorValue: pool.consumedSeats,
      ledgerValue: ledgerActive,
    });
  }
  const used = Math.max(pool.consumedSeats ?? 0, vendorActive) + botOnly;
  if (pool.totalSeats !== null && used > pool.totalSeats) {
    holds.set('over_allocated', {
      message: `${pool.productName}: ${used} seats in use but only ${pool.totalSeats} licensed`,
      vendorValue: pool.totalSeats,
      ledgerValue: used,
    });
  }
  if (before !== undefined && before.expiryDate !== null && before.expiryDate !== pool.expiryDate) {
    holds.set('expiry_moved', {
      message: `${pool.productName}: expiry moved from ${before.expiryDate} to ${pool.expiryDate ?? 'none'}`,
      vendorValue: pool.expiryDate,
      ledgerValue: before.expiryDate,
    });
  }
  if (writtenMissing > 0) {
    holds.set('write_back_missing', {
      message: `${pool.productName}: ${writtenMissing} ${writtenMissing === 1 ? 'seat' : 'seats'} the bot assigned at the vendor ${writtenMissing === 1 ? 'is' : 'are'} not listed there any more`,
      vendorValue: 0,
      ledgerValue: writtenMissing,
    });
  }
  if (before !== undefined && before.totalSeats !== pool.totalSeats) {
    holds.set('total_changed', {
      message: `${pool.productName}: licensed seats changed from ${before.totalSeats ?? 'unlimited'} to ${pool.totalSeats ?? 'unlimited'}`,
      vendorValue: pool.totalSeats,
      ledgerValue: before.totalSeats,
    });
  }
  return holds;
}
