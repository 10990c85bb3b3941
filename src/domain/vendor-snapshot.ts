import type {
  AssigneeKind,
  Compliance,
  Iso,
  LicenseModel,
  LicensePool,
  PoolSourceKind,
  PoolState,
  SeatUnit,
  Vendor,
} from './ledger.js';

/** One license pool as a vendor reports it, already normalized (see vendor-apis.md section 7/8). */
export interface VendorPool {
  externalId: string;
  sourceKind: PoolSourceKind;
  productName: string;
  sku: string | null;
  licenseModel: LicenseModel;
  unit: SeatUnit;
  totalSeats: number | null;
  consumedSeats: number | null;
  availableSeats: number | null;
  startDate: Iso | null;
  expiryDate: Iso | null;
  renewalDate: Iso | null;
  autoRenew: boolean | null;
  state: PoolState;
  vendorState: string | null;
  compliance: Compliance;
  subscriptionRef: string | null;
  scope: LicensePool['scope'];
  metered: boolean;
  /** Per-seat price where the vendor gives one (cPod); absent for vendors without prices. */
  seatPrice?: LicensePool['seatPrice'];
}

/** One seat held at the vendor. */
export interface VendorAssignment {
  /** VendorPool.externalId of the pool it belongs to. */
  poolExternalId: string;
  /** The vendor's id for the assignment (or a stable derived key, e.g. `${licenseId}:${userId}`). */
  externalId: string;
  assignee: { kind: AssigneeKind; id: string; email: string | null; name: string | null };
  seats: number;
  status: 'active' | 'pending';
  assignedAt: Iso | null;
  expiresAt: Iso | null;
  lastUsedAt: Iso | null;
  /** Webex: the user is EXTERNAL to the org. */
  external: boolean | null;
}

/** Everything one vendor connection reported in one complete, successful fetch. */
export interface VendorSnapshot {
  vendor: Vendor;
  /** Stable per configured connection, e.g. the Meraki org id or the Webex org id ("default" when unknown). */
  connectionId: string;
  externalOrgId: string | null;
  fetchedAt: Iso;
  pools: VendorPool[];
  assignments: VendorAssignment[];
  stats: { requests: number; pages: number; retries: number };
}

/** A configured vendor connection that can fetch a full snapshot (all pages, or throws). */
export interface VendorClient {
  readonly vendor: Vendor;
  readonly connectionId: string;
  fetchSnapshot(signal?: AbortSignal): Promise<VendorSnapshot>;
}
