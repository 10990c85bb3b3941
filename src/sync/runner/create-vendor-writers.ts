import type { Config } from '../../config.js';
import type { AccessTokenSource } from '../http/access-token-source.js';
import { DEFAULT_BUDGETS } from '../default-budgets.js';
import type { SeatWriter } from '../vendors/seat-writer.js';
import { createWebexLicenseWriter } from '../vendors/webex/webex-license-writer.js';
import { createCpodAssignmentWriter } from '../vendors/cpod/cpod-assignment-writer.js';
import type { VendorClientDeps } from './create-vendor-clients.js';

/**
 * One write client per vendor that is both configured (credentials) and named in WRITE_BACK_VENDORS. Webex writes
 * use the license reader's credential (`webexTokenSource` when it refreshes), which then needs people_write.
 */
export function createVendorWriters(
  vendors: Config['vendors'],
  writeBack: Pick<Config['writeBack'], 'vendors'>,
  deps: Omit<VendorClientDeps, 'share'> & { webexTokenSource?: AccessTokenSource },
): SeatWriter[] {
  const common = (vendor: string) => ({
    fetch: deps.fetch,
    clock: deps.clock,
    logger: deps.logger.child({ vendor, component: 'write-back' }),
    maxResponseBytes: deps.budgets?.vendorMaxResponseBytes ?? DEFAULT_BUDGETS.vendorMaxResponseBytes,
    maxPages: deps.budgets?.vendorMaxPages ?? DEFAULT_BUDGETS.vendorMaxPages,
    ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
  });
  const writers: SeatWriter[] = [];
  const webex = vendors.webex;
  if (webex && writeBack.vendors.includes('webex')) {
    const auth = webex.token !== null ? { token: webex.token } : deps.webexTokenSource ? { tokenSource: deps.webexTokenSource } : null;
    if (auth) writers.push(createWebexLicenseWriter({ ...common('webex'), ...auth, baseUrl: webex.apiUrl, orgId: webex.orgId }));
  }
  const cpod = vendors.cpod;
  if (cpod && writeBack.vendors.includes('cpod')) {
    writers.push(createCpodAssignmentWriter({ ...common('cpod'), baseUrl: cpod.apiUrl, token: cpod.token }));
  }
  return writers;
}
