import { isSensitiveName } from './is-sensitive-name.js';

const REDACTED = '[redacted]';
/** `name=value` as in a query string or form body (the value runs to the next separator). */
const FORM_PAIR = /([A-Za-z0-9_.[\]-]+)=([^&\s"',;)}\]<>]+)/g;
/** `"name": "value"` as in a JSON body echoed back as text. */
const JSON_PAIR = /"([A-Za-z0-9_.-]+)"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;
/** `Bearer <token>` and Zoho's `Zoho-oauthtoken <token>`, as an Authorization header echoed back. */
const AUTH_SCHEME = /\b(Bearer|Zoho-oauthtoken)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{4,}/gi;

/**
 * The one scrubber for text built from a vendor request or answer (error messages, logged details, stored sync
 * errors): every known secret (see secretsOf) is blanked, and so is any value of a sensitive-looking
 * `name=value` or `"name": "value"` pair and any `Bearer <token>`, even when the value was never ours.
 * Run it on the whole text before cutting it short, so no half secret survives a truncation.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s !== '') out = out.split(s).join(REDACTED);
  out = out.replace(FORM_PAIR, (all, name: string, value: string) =>
    isSensitiveName(name) && !value.startsWith('[redacted') ? `${name}=${REDACTED}` : all,
  );
  out = out.replace(JSON_PAIR, (all, name: string, colon: string) => (isSensitiveName(name) ? `"${name}"${colon}"${REDACTED}"` : all));
  return out.replace(AUTH_SCHEME, (_all, scheme: string) => `${scheme} ${REDACTED}`);
}
