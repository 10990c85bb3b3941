import type { VendorClient } from '../domain/vendor-snapshot.js';

/** How far a vendor client's snapshot has got (the one under way, else the last one). */
export interface VendorProgress {
  pages: number;
  requests: number;
  retries: number;
}

/**
 * A VendorClient that can tell how far its snapshot got, so a sync stopped by its deadline (or a failed run)
 * can say "Meraki was still reading page 812" and record the pages and requests spent. Optional: plain
 * VendorClients work too.
 */
export interface TrackedVendorClient extends VendorClient {
  progress?(): VendorProgress;
}
