import { ZOHO_DCS } from '../../config.js';

/** `zohoapis.com`, `zohoapis.eu`, …: the API domains of Zoho's data centres (`www.zohoapis.eu` less `www.`). */
const ZOHO_API_DOMAINS: readonly string[] = Object.values(ZOHO_DCS).map((dc) => new URL(dc.api).hostname.replace(/^www\./, ''));

/**
 * Where the CRM API is called for a token: the token answer's `api_domain` when it is https on one of Zoho's
 * own API hosts (`www.zohoapis.eu`, `*.zohoapis.com`, … of the data centres in ZOHO_DCS) or is the configured
 * API URL's origin; otherwise the configured API URL, and `refused` names the origin that was not trusted (the
 * access token is never sent there).
 */
export function zohoApiBase(apiDomain: string | null, configuredApi: string): { base: string; refused: string | null } {
  if (apiDomain === null) return { base: configuredApi, refused: null };
  let u: URL;
  try {
    u = new URL(apiDomain);
  } catch {
    return { base: configuredApi, refused: apiDomain.slice(0, 100) };
  }
  if (u.origin === new URL(configuredApi).origin) return { base: configuredApi, refused: null };
  const host = u.hostname.toLowerCase();
  const zohoHost = u.protocol === 'https:' && u.port === '' && ZOHO_API_DOMAINS.some((d) => host.endsWith(`.${d}`));
  return zohoHost ? { base: u.origin, refused: null } : { base: configuredApi, refused: u.origin };
}
