import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { createCpodLicensesClient } from '../vendors/cpod/cpod-licenses.js';
import { createMerakiLicensesClient } from '../vendors/meraki/meraki-licenses.js';
import { createWebexLicensesClient } from '../vendors/webex/webex-licenses.js';
import { createWebexTokenSource } from '../vendors/webex/webex-token-source.js';
import { createZohoCrmLicensesClient } from '../vendors/zoho/zoho-crm-licenses.js';
import { createZohoTokenSource } from '../vendors/zoho/zoho-token-source.js';
import { DEFAULT_BUDGETS } from '../default-budgets.js';
import type { OpenPersistedSecret } from '../http/persisted-secret.js';
import type { TrackedVendorClient } from '../tracked-vendor-client.js';
import type { AccessTokenSource } from '../http/access-token-source.js';

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
  /**
   * Where refresh tokens a vendor rotates are kept across restarts (main.ts: store/secret-file.ts in DATA_DIR).
   * Without it a rotated token lives in memory only and a restart starts again from the configured one.
   */
  openSecret?: OpenPersistedSecret;
  /**
   * Filled with the Webex token source the license reader uses, so the write-back client shares it (one refresh,
   * one rotating refresh token) rather than refreshing on its own.
   */
  share?: { webexTokenSource?: AccessTokenSource };
}

/** The persisted secret holding the newest Webex licenses refresh token (descends from WEBEX_LICENSES_REFRESH_TOKEN). */
export const WEBEX_REFRESH_SECRET = 'webex-licenses-refresh-token.json';

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
    const webex = vendors.webex;
    const { orgId, apiUrl } = webex;
    if (webex.token !== null) {
      clients.push(createWebexLicensesClient({ ...common('webex'), baseUrl: apiUrl, token: webex.token, orgId }));
    } else {
      const { refreshToken } = webex.refresh;
      const persisted = deps.openSecret === undefined ? {} : { persisted: deps.openSecret(WEBEX_REFRESH_SECRET, refreshToken) };
      const tokenSource = createWebexTokenSource({ ...common('webex'), ...webex.refresh, ...persisted, apiUrl });
      if (deps.share) deps.share.webexTokenSource = tokenSource;
      clients.push(createWebexLicensesClient({ ...common('webex'), baseUrl: apiUrl, tokenSource, orgId }));
    }
  }
  if (vendors.meraki) {
    const { apiKey, orgId, apiUrl } = vendors.meraki;
    const rate = deps.merakiMaxRequestsPerSecond === undefined ? {} : { maxRequestsPerSecond: deps.merakiMaxRequestsPerSecond };
    clients.push(createMerakiLicensesClient({ ...common('meraki'), ...rate, baseUrl: apiUrl, apiKey, orgId }));
  }
  if (vendors.zoho) {
    const { clientId, clientSecret, refreshToken, accountsUrl, apiUrl, apiUrlPinned = false } = vendors.zoho;
    const tokenSource = createZohoTokenSource({ ...common('zoho_crm'), accountsUrl, clientId, clientSecret, refreshToken });
    clients.push(createZohoCrmLicensesClient({ ...common('zoho_crm'), tokenSource, apiUrl, apiUrlPinned }));
  }
  if (vendors.cpod) {
    const { apiUrl, token } = vendors.cpod;
    clients.push(createCpodLicensesClient({ ...common('cpod'), baseUrl: apiUrl, token }));
  }
  return clients;
}
