import { ZOHO_DCS } from '../../../config-env.js';

const hostOf = (url: string): string => new URL(url).hostname;

/**
 * Zoho's own hosts in every data centre of ZOHO_DCS, as `allowedHostSuffixes` (see isTrustedTarget): `api` the
 * CRM API domains as suffixes (`.zohoapis.eu` matches `www.zohoapis.eu`), `accounts` the exact accounts hosts.
 * Redirects and next links may move there from a configured proxy, keeping the credentials; nowhere else.
 */
export const ZOHO_HOSTS: { readonly api: readonly string[]; readonly accounts: readonly string[] } = {
  api: Object.values(ZOHO_DCS).map((dc) => `.${hostOf(dc.api).replace(/^www\./, '')}`),
  accounts: Object.values(ZOHO_DCS).map((dc) => hostOf(dc.accounts)),
};
