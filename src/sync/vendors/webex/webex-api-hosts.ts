/**
 * Webex's own API hosts, as `allowedHostSuffixes` (see isTrustedTarget): a next link or redirect from a proxy
 * base (WEBEX_LICENSES_API_URL) may move there and keep the credentials; nowhere else.
 * webexapis.com (and its subdomains), the legacy api.ciscospark.com and the FedRAMP api-usgov.webex.com.
 */
export const WEBEX_API_HOSTS: readonly string[] = ['webexapis.com', '.webexapis.com', 'api.ciscospark.com', 'api-usgov.webex.com'];
