/** Meraki licensing data in the vendor's own shapes (vendor-apis.md section 2), for the emulator. */

export type MerakiLicenseState = 'active' | 'expired' | 'expiring' | 'recentlyQueued' | 'unused' | 'unusedActive';

export interface MerakiEmulatorLicense {
  id: string;
  licenseType: string;
  licenseKey: string;
  orderNumber: string;
  deviceSerial: string | null;
  networkId: string | null;
  state: MerakiLicenseState;
  seatCount: number | null;
  totalDurationInDays: number;
  durationInDays: number;
  permanentlyQueuedLicenses: unknown[];
  claimDate: string;
  activationDate: string | null;
  expirationDate: string | null;
  headLicenseId: string | null;
}

export interface MerakiCotermOverview {
  status: string;
  expirationDate: string;
  licensedDeviceCounts: Record<string, number>;
}

export interface MerakiSubscription {
  subscriptionId: string;
  name: string;
  description?: string;
  status: 'active' | 'canceled' | 'expired' | 'inactive';
  startDate: string;
  endDate: string;
  webOrderId: string;
  productTypes: string[];
  entitlements: { sku: string; seats: { assigned: number; available: number; limit: number } }[];
  counts: { seats: { assigned: number; available: number; limit: number }; networks: number };
}

export interface MerakiEmulatorOrg {
  id: string;
  name: string;
  licensing: { model: 'per-device' | 'co-term' | 'subscription' };
  /** per-device orgs */
  licenses?: MerakiEmulatorLicense[];
  /** co-term orgs: what GET …/licenses/overview answers */
  cotermOverview?: MerakiCotermOverview;
}

export interface MerakiDataset {
  orgs: MerakiEmulatorOrg[];
  /** Subscriptions and the orgs they are bound to (filtered by organizationIds[]). */
  subscriptions: { organizationIds: string[]; subscription: MerakiSubscription }[];
}

let keySeq = 0;
const fakeKey = (): string => `Z2${String(++keySeq).padStart(10, '0')}`;

export function merakiLicense(
  id: string,
  licenseType: string,
  state: MerakiLicenseState,
  opts: { deviceSerial?: string | null; networkId?: string | null; seatCount?: number | null; activationDate?: string | null; expirationDate?: string | null; orderNumber?: string } = {},
): MerakiEmulatorLicense {
  return {
    id,
    licenseType,
    licenseKey: fakeKey(),
    orderNumber: opts.orderNumber ?? '4C1234567',
    deviceSerial: opts.deviceSerial ?? null,
    networkId: opts.networkId ?? null,
    state,
    seatCount: opts.seatCount ?? null,
    totalDurationInDays: 1095,
    durationInDays: 1095,
    permanentlyQueuedLicenses: [],
    claimDate: '2023-01-10T09:00:00Z',
    activationDate: opts.activationDate === undefined ? '2023-01-15T09:00:00Z' : opts.activationDate,
    expirationDate: opts.expirationDate === undefined ? '2026-01-15T09:00:00Z' : opts.expirationDate,
    headLicenseId: null,
  };
}

/** Three orgs, one per licensing model, for the sandbox. */
export function demoMerakiDataset(): MerakiDataset {
  return {
    orgs: [
      {
        id: '549236',
        name: 'Example Retail (per-device)',
        licensing: { model: 'per-device' },
        licenses: [
          merakiLicense('1001', 'MX64-ENT', 'active', { deviceSerial: 'Q2XX-AAAA-0001', networkId: 'N_1001' }),
          merakiLicense('1002', 'MX64-ENT', 'active', { deviceSerial: 'Q2XX-AAAA-0002', networkId: 'N_1002' }),
          merakiLicense('1003', 'MX64-ENT', 'unused', { activationDate: null, expirationDate: null }),
          merakiLicense('2001', 'MR-ENT', 'active', { deviceSerial: 'Q2MR-BBBB-0001', networkId: 'N_1001' }),
          merakiLicense('2002', 'MR-ENT', 'expiring', { deviceSerial: 'Q2MR-BBBB-0002', networkId: 'N_1001', expirationDate: '2025-07-01T00:00:00Z' }),
          merakiLicense('2003', 'MR-ENT', 'expired', { expirationDate: '2024-01-01T00:00:00Z' }),
          merakiLicense('3001', 'MS220-8P', 'recentlyQueued', { deviceSerial: 'Q2MS-CCCC-0001', activationDate: null, expirationDate: null }),
          merakiLicense('4001', 'SM', 'active', { networkId: 'N_1001', seatCount: 25 }),
          merakiLicense('4002', 'SM', 'unusedActive', { seatCount: 10 }),
        ],
      },
      {
        id: '549237',
        name: 'Example Campus (co-term)',
        licensing: { model: 'co-term' },
        cotermOverview: { status: 'OK', expirationDate: 'Feb 8, 2027 UTC', licensedDeviceCounts: { MS: 100, MR: 40, MX: 2 } },
      },
      { id: '549238', name: 'Example Cloud (subscription)', licensing: { model: 'subscription' } },
    ],
    subscriptions: [
      {
        organizationIds: ['549238'],
        subscription: {
          subscriptionId: 'Q-1234-5678',
          name: 'Campus Networking EA',
          description: 'Enterprise agreement',
          status: 'active',
          startDate: '2024-03-01T00:00:00Z',
          endDate: '2027-03-01T00:00:00Z',
          webOrderId: '123456789',
          productTypes: ['wireless', 'switch'],
          entitlements: [
            { sku: 'LIC-MR-ADV', seats: { assigned: 30, available: 20, limit: 50 } },
            { sku: 'LIC-MS-ESS', seats: { assigned: 12, available: 0, limit: 12 } },
          ],
          counts: { seats: { assigned: 42, available: 20, limit: 62 }, networks: 4 },
        },
      },
    ],
  };
}

const TYPES = ['MX64-ENT', 'MR-ENT', 'MS220-8P', 'MV-ENT', 'MX67-SEC'];

/** A per-device org with `licenses` licenses (about 70 % on devices), for benchmarks and paging tests. */
export function generateMerakiDataset(opts: { licenses: number; orgId?: string }): MerakiDataset {
  const orgId = opts.orgId ?? '900001';
  const licenses = Array.from({ length: opts.licenses }, (_, i): MerakiEmulatorLicense => {
    const onDevice = i % 10 < 7;
    const state: MerakiLicenseState = i % 50 === 7 ? 'expired' : onDevice ? 'active' : 'unused';
    return merakiLicense(String(100_000 + i), TYPES[i % TYPES.length]!, state, {
      deviceSerial: onDevice ? `Q2BN-${String(i).padStart(8, '0')}` : null,
      networkId: onDevice ? `N_${i % 40}` : null,
      orderNumber: `4C${String(i % 25).padStart(7, '0')}`,
    });
  });
  return { orgs: [{ id: orgId, name: `Bench org ${opts.licenses}`, licensing: { model: 'per-device' }, licenses }], subscriptions: [] };
}
