const WEBEX_CLOUD_API = /^https:\/\/(webexapis\.com|api\.ciscospark\.com)\//;

/**
 * Environment variables for callers that prefer to point the Webex SDK at `apiUrl` through the environment
 * (it reads them once, at first import). Not needed with startFrameworkAdapter, which injects the same
 * values into the SDK's config at start; kept for scripts that import the framework directly.
 */
export function frameworkEnv(apiUrl: string, u2cUrl?: string): Record<string, string> {
  const u2c =
    u2cUrl ?? (WEBEX_CLOUD_API.test(`${apiUrl}/`) ? undefined : new URL('/u2c/api/v1', apiUrl).href);
  return {
    HYDRA_SERVICE_URL: apiUrl,
    ...(u2c === undefined ? {} : { U2C_SERVICE_URL: u2c }),
    WEBEX_LOG_LEVEL: 'silent',
  };
}
