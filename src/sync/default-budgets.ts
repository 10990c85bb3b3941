import type { Config } from '../config.js';

/**
 * What one sync may cost when no budget is passed in: the defaults of SYNC_TIMEOUT_MINUTES (30),
 * VENDOR_MAX_PAGES (2000) and VENDOR_MAX_RESPONSE_MB (32) in config.ts (a test keeps the two equal).
 */
export const DEFAULT_BUDGETS: Config['budgets'] = Object.freeze({
  syncTimeoutMs: 30 * 60_000,
  vendorMaxPages: 2000,
  vendorMaxResponseBytes: 32 * 1024 * 1024,
});
