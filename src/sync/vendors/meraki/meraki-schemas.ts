import { z } from 'zod';

/** Response shapes of the Meraki licensing calls: tolerant (extra fields stripped, optional fields optional). */

const optStr = z.string().nullish();

export const MerakiOrganization = z.object({
  id: z.string(),
  name: z.string().optional(),
  licensing: z.object({ model: z.enum(['per-device', 'co-term', 'subscription']) }).nullish(),
});

export const MerakiLicenseState = z.enum(['active', 'expired', 'expiring', 'recentlyQueued', 'unused', 'unusedActive']);
export type MerakiLicenseState = z.infer<typeof MerakiLicenseState>;

export const MerakiLicense = z.object({
  id: z.string().min(1),
  licenseType: z.string().min(1),
  orderNumber: optStr,
  deviceSerial: optStr,
  networkId: optStr,
  state: MerakiLicenseState,
  seatCount: z.number().int().nullish(),
  claimDate: optStr,
  activationDate: optStr,
  expirationDate: optStr,
});
export type MerakiLicense = z.infer<typeof MerakiLicense>;
export const MerakiLicensePage = z.array(MerakiLicense);

/** Per-device overview: only the fields the client uses, all optional (documented by third parties only). */
export const MerakiPerDeviceOverview = z.object({
  licenseTypes: z.array(z.object({ licenseType: z.string(), counts: z.object({ unassigned: z.number().nullish() }).nullish() })).nullish(),
  systemsManager: z
    .object({
      counts: z.object({ totalSeats: z.number().nullish(), activeSeats: z.number().nullish(), unassignedSeats: z.number().nullish() }).nullish(),
    })
    .nullish(),
});
export type MerakiPerDeviceOverview = z.infer<typeof MerakiPerDeviceOverview>;

export const MerakiCotermOverview = z.object({
  status: z.string().nullish(),
  expirationDate: z.string(),
  licensedDeviceCounts: z.record(z.string(), z.number().int().min(0)),
});
export type MerakiCotermOverview = z.infer<typeof MerakiCotermOverview>;

const Seats = z.object({ assigned: z.number().nullish(), available: z.number().nullish(), limit: z.number().nullish() });

export const MerakiSubscription = z.object({
  subscriptionId: z.string().min(1),
  name: optStr,
  status: optStr,
  startDate: optStr,
  endDate: optStr,
  webOrderId: optStr,
  productTypes: z.array(z.string()).nullish(),
  entitlements: z.array(z.object({ sku: z.string().min(1), seats: Seats.nullish() })).nullish(),
});
export type MerakiSubscription = z.infer<typeof MerakiSubscription>;
export const MerakiSubscriptionPage = z.array(MerakiSubscription);
