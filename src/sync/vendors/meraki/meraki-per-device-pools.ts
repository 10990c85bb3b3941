import { VendorApiError } from '../../../errors.js';
import type { PoolState } from '../../../domain/ledger.js';
import type { VendorAssignment, VendorPool } from '../../../domain/vendor-snapshot.js';
import { parseMerakiDate } from './parse-meraki-date.js';
import type { MerakiLicense, MerakiLicenseState, MerakiPerDeviceOverview } from './meraki-schemas.js';

const STATE: Readonly<Record<MerakiLicenseState, PoolState>> = {
  active: 'active',
  expiring: 'expiring',
  expired: 'expired',
  recentlyQueued: 'queued',
  unused: 'unused',
  unusedActive: 'active',
};
/** Which license state speaks for a pool holding several: the most actionable first. */
const PRECEDENCE: readonly PoolState[] = ['expiring', 'active', 'queued', 'unused', 'expired'];

/** Licenses counted as consumed (and reported as assignments): on a device or network and burning. */
const IN_USE: ReadonlySet<MerakiLicenseState> = new Set(['active', 'expiring']);

interface Group {
  licenseType: string;
  sm: boolean;
  total: number;
  consumed: number;
  firstStart: string | null;
  nextExpiry: string | null;
  lastExpiry: string | null;
  rawByState: Map<PoolState, MerakiLicenseState>;
  order: string | null | undefined;
}

/**
 * Folds per-device licenses, one page at a time, into one pool per licenseType (SM licenses: seat pools) plus the
 * devices and networks holding them. Linear in the number of licenses; keeps no pages.
 */
export class MerakiPerDevicePools {
  readonly assignments: VendorAssignment[] = [];
  private readonly groups = new Map<string, Group>();

  constructor(private readonly orgId: string) {}

  add(l: MerakiLicense): void {
    let g = this.groups.get(l.licenseType);
    if (g === undefined) {
      g = {
        licenseType: l.licenseType,
        sm: /^SM\b/i.test(l.licenseType),
        total: 0,
        consumed: 0,
        firstStart: null,
        nextExpiry: null,
        lastExpiry: null,
        rawByState: new Map(),
        order: undefined,
      };
      this.groups.set(l.licenseType, g);
    }
    const state = STATE[l.state];
    if (!g.rawByState.has(state)) g.rawByState.set(state, l.state);
    const start = date(l.activationDate ?? l.claimDate, l.id, 'activationDate');
    const expiry = date(l.expirationDate, l.id, 'expirationDate');
    if (expiry !== null && (g.lastExpiry === null || expiry > g.lastExpiry)) g.lastExpiry = expiry;
    if (l.state === 'expired') return;

    const units = g.sm ? (l.seatCount ?? 0) : 1;
    g.total += units;
    if (start !== null && (g.firstStart === null || start < g.firstStart)) g.firstStart = start;
    if (expiry !== null && (g.nextExpiry === null || expiry < g.nextExpiry)) g.nextExpiry = expiry;
    const order = l.orderNumber ?? null;
    g.order = g.order === undefined ? order : g.order === order ? order : null;

    const holder = g.sm ? l.networkId : l.deviceSerial;
    if (!IN_USE.has(l.state) || holder === null || holder === undefined || holder === '' || units === 0) return;
    g.consumed += units;
    this.assignments.push({
      poolExternalId: `${this.orgId}:${l.licenseType}`,
      externalId: l.id,
      assignee: { kind: g.sm ? 'network' : 'device', id: holder, email: null, name: null },
      seats: units,
      status: 'active',
      assignedAt: start,
      expiresAt: expiry,
      lastUsedAt: null,
      external: null,
    });
  }

  pools(overview: MerakiPerDeviceOverview | null): VendorPool[] {
    const unassigned = new Map<string, number>();
    for (const t of overview?.licenseTypes ?? []) {
      const n = t.counts?.unassigned;
      if (typeof n === 'number') unassigned.set(t.licenseType, n);
    }
    const smPools = [...this.groups.values()].filter((g) => g.sm).length;
    const smAvailable = smPools === 1 ? (overview?.systemsManager?.counts?.unassignedSeats ?? null) : null;

    return [...this.groups.values()].map((g): VendorPool => {
      const state = PRECEDENCE.find((s) => g.rawByState.has(s)) ?? 'unknown';
      const vendorAvailable = g.sm ? smAvailable : (unassigned.get(g.licenseType) ?? null);
      return {
        externalId: `${this.orgId}:${g.licenseType}`,
        sourceKind: g.sm ? 'meraki.sm_seats' : 'meraki.device_license_group',
        productName: g.licenseType,
        sku: g.licenseType,
        licenseModel: g.sm ? 'network_seat' : 'device',
        unit: g.sm ? 'seat' : 'device',
        totalSeats: g.total,
        consumedSeats: g.consumed,
        availableSeats: vendorAvailable ?? Math.max(0, g.total - g.consumed),
        startDate: g.firstStart,
        expiryDate: g.nextExpiry ?? g.lastExpiry,
        renewalDate: null,
        autoRenew: null,
        state,
        vendorState: g.rawByState.get(state) ?? null,
        compliance: g.consumed > g.total ? 'over_allocated' : 'ok',
        subscriptionRef: g.order ?? null,
        scope: {},
        metered: true,
      };
    });
  }
}

function date(value: string | null | undefined, licenseId: string, field: string): string | null {
  if (value === null || value === undefined || value === '') return null;
  const iso = parseMerakiDate(value);
  if (iso === null) throw new VendorApiError('meraki', 'VENDOR_SCHEMA', `license ${licenseId} has an unreadable ${field}`);
  return iso;
}
