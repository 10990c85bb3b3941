import type { z } from 'zod';
import type { HttpJson } from './http-json.js';

/** An OAuth 2 client's refresh-token grant. */
export interface RefreshGrant {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** The grant as a form body (not the query string some docs show: secrets stay out of URLs and logs). */
export function refreshGrantForm(grant: RefreshGrant): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: grant.clientId,
    client_secret: grant.clientSecret,
    refresh_token: grant.refreshToken,
  });
}

/**
 * POSTs a refresh-token grant `form` to `tokenUrl` and returns the answer checked against `schema`; the HTTP
 * requests and retries it took are added to `stats` whether it succeeds or throws.
 */
export async function postRefreshGrant<T>(
  http: HttpJson,
  tokenUrl: string,
  form: URLSearchParams,
  schema: z.ZodType<T>,
  stats: { requests: number; retries: number },
): Promise<T> {
  const before = { requests: http.stats.requests, retries: http.stats.retries };
  try {
    const res = await http.request({
      url: tokenUrl,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
      schema,
    });
    return res.data;
  } finally {
    stats.requests += http.stats.requests - before.requests;
    stats.retries += http.stats.retries - before.retries;
  }
}
