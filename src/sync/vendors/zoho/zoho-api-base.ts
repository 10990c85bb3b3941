import { ZOHO_HOSTS } from './zoho-hosts.js';

/** Where the CRM API is called, and which `api_domain` was not used (null when it was, or none came). */
export interface ZohoApiBase {
  base: string;
  /** An `api_domain` on a host that is not Zoho's: the access token is never sent there (warn). */
  refused: string | null;
  /** An `api_domain` left unused because ZOHO_API_URL was set explicitly (say so once). */
  overridden: string | null;
}

/**
 * Where the CRM API is called for a token. An explicitly configured API URL (`pinned`: ZOHO_API_URL was set)
 * always wins: a proxy or sandbox means what it says. Otherwise the token answer's `api_domain` is used when it
 * is https on one of Zoho's own API hosts (`www.zohoapis.eu`, `*.zohoapis.com`, … of the data centres in
 * ZOHO_DCS) or is the configured API URL's origin; any other `api_domain` is `refused` and the configured API
 * URL (the one of ZOHO_DC) is used.
 */
export function zohoApiBase(apiDomain: string | null, configuredApi: string, pinned = false): ZohoApiBase {
  const keep = { base: configuredApi, refused: null, overridden: null };
  if (apiDomain === null) return keep;
  let u: URL;
  try {
    u = new URL(apiDomain);
  } catch {
    return { ...keep, refused: apiDomain.slice(0, 100) };
  }
  const configured = new URL(configuredApi);
  if (u.origin === configured.origin) return keep;
  if (pinned) return { ...keep, overridden: u.origin };
  const host = u.hostname.toLowerCase();
  const zohoHost = u.protocol === 'https:' && u.port === '' && ZOHO_HOSTS.api.some((suffix) => host.endsWith(suffix));
  return zohoHost ? { base: u.origin, refused: null, overridden: null } : { ...keep, refused: u.origin };
}
