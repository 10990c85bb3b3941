/**
 * Whether a header, query, form or JSON field of this name carries a credential: client_secret, refresh_token,
 * access_token, code, password, token, api_key, key, secret, authorization, signature, cookie, session and the like.
 */
export function isSensitiveName(name: string): boolean {
  return /auth|token|key|secret|passw|pwd|signature|cookie|credential|session|code/i.test(name);
}
