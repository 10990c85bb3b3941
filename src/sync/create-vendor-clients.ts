import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createCpodLicensesClient } from './clients/cpod-licenses.js';
import { createMerakiLicensesClient } from './clients/meraki-licenses.js';
import { createWebexLicensesClient } from './clients/webex-licenses.js';
import { createZohoCrmLicensesClient } from './clients/zoho-crm-licenses.js';
import { createZohoTokenSource } from './clients/zoho-token-source.js';
import { DEFAULT_BUDGETS } from './default-budgets.js';
import type { TrackedVendorClient } from './tracked-vendor-client.js';

export interface VendorClientDeps {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  logger: Logger;
  /** Waits between retries; tests and benchmarks pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
  /** Meraki client-side throttle (default 8 req/s; 0 = off, for benchmarks against an emulator). */
  merakiMaxRequestsPerSecond?: number;
  /**
   * Pages per listing walk and bytes per response (pass `config.budgets`; the sync timeout is the runner's).
   * Defaults: VENDOR_MAX_PAGES 2000, VENDOR_MAX_RESPONSE_MB 32.
   */
  budgets?: Partial<Config['budgets']>;
}

/** One client per vendor whose credentials are configured (loadConfig sets a vendor only when complete). */
export function createVendorClients(vendors: Config['vendors'], deps: VendorClientDeps): TrackedVendorClient[] {
  const { fetch, clock } = deps;
  const maxPages = deps.budgets?.vendorMaxPages ?? DEFAULT_BUDGETS.vendorMaxPages;
  const maxResponseBytes = deps.budgets?.vendorMaxResponseBytes ?? DEFAULT_BUDGETS.vendorMaxResponseBytes;
  const common = (vendor: string) => ({
    fetch,
    clock,
    logger: deps.logger.child({ vendor }),
    maxPages,
    maxResponseBytes,
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
  });
  const clients: TrackedVendorClient[] = [];
  if (vendors.webex) {
    const { token, orgId, apiUrl } = vendors.webex;
    clients.push(createWebexLicensesClient({ ...common('webex'), baseUrl: apiUrl, token, orgId }));
  }
  if (vendors.meraki) {
    const { apiKey, orgId, apiUrl } = vendors.meraki;
    const rate = deps.merakiMaxRequestsPerSecond === undefined ? {} : { maxRequestsPerSecond: deps.merakiMaxRequestsPerSecond };
    clients.push(createMerakiLicensesClient({ ...common('meraki'), ...rate, baseUrl: apiUrl, apiKey, orgId }));
  }
  if (vendors.zoho) {
    const { clientId, clientSecret, refreshToken, accountsUrl, apiUrl } = vendors.zoho;
    const tokenSource = createZohoTokenSource({ ...common('zoho_crm'), accountsUrl, clientId, clientSecret, refreshToken });
    clients.push(createZohoCrmLicensesClient({ ...common('zoho_crm'), tokenSource, apiUrl }));
  }
  if (vendors.cpod) {
    const { apiUrl, token } = vendors.cpod;
    clients.push(createCpodLicensesClient({ ...common('cpod'), baseUrl: apiUrl, token }));
  }
  return clients;
}
