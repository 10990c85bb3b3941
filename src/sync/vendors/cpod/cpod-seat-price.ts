import type { SeatPrice } from '../../../domain/ledger.js';
import type { CpodLicenseRecord } from './cpod-schemas.js';

function costParts(cost: unknown): { amount: number | null; currency: string | null } {
  if (typeof cost === 'number' && Number.isFinite(cost)) return { amount: cost, currency: null };
  if (typeof cost !== 'object' || cost === null) return { amount: null, currency: null };
  const amount: unknown = Reflect.get(cost, 'amount');
  const currency: unknown = Reflect.get(cost, 'currency');
  return {
    amount: typeof amount === 'number' && Number.isFinite(amount) && amount >= 0 ? amount : null,
    currency: typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : null,
  };
}

/**
 * Pure: one seat's price from a cPod license: `list_price` less `negotiated_discount` (percent), else the
 * license's `cost` amount spread over its seats; null when it gives neither. Currency from `cost` when named.
 */
export function cpodSeatPrice(r: CpodLicenseRecord): SeatPrice | null {
  const cost = costParts(r.cost);
  const list = r.list_price ?? null;
  let amount: number | null = null;
  if (list !== null) amount = list * (1 - (r.negotiated_discount ?? 0) / 100);
  else if (cost.amount !== null && r.total_seats !== null && r.total_seats !== undefined && r.total_seats > 0) amount = cost.amount / r.total_seats;
  if (amount === null || !Number.isFinite(amount)) return null;
  return { amount: Math.round(amount * 100) / 100, currency: cost.currency };
}
