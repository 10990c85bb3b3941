/** What a vendor error answer says, normalized from the four body shapes (vendor-apis.md section 6.3). */
export interface VendorErrorDetails {
  message: string | null;
  vendorCode: string | null;
  trackingId: string | null;
}

const MAX_TEXT = 200;
/**
 * What is scrubbed of a long text before it is cut to MAX_TEXT: far more than is kept, so every secret in the
 * kept part is whole when scrubbed, while a 32 MiB error page costs no more than 64 KiB of scrubbing.
 */
const SCRUB_WINDOW = 64 * 1024;

function str(v: unknown): string | null {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function cut(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Webex `{message, errors:[{description, errorCode}], trackingId}` (+ `Trackingid` header),
 * Meraki `{errors:["…"]}`, Zoho `{code, message, status:"error"}`, OAuth token endpoints `{error,
 * error_description}`, anything else (cPod): raw text, truncated.
 * Every text taken from the answer goes through `clean` (the secret scrubber) before it is cut short.
 */
export function parseVendorError(bodyText: string, headers: Headers, clean: (text: string) => string = (t) => t): VendorErrorDetails {
  const details = parseDetails(bodyText, headers, clean);
  return {
    message: details.message,
    vendorCode: details.vendorCode === null ? null : clean(details.vendorCode),
    trackingId: details.trackingId === null ? null : clean(details.trackingId),
  };
}

function parseDetails(bodyText: string, headers: Headers, clean: (text: string) => string): VendorErrorDetails {
  const truncate = (text: string): string => cut(clean(text.replace(/\s+/g, ' ').trim().slice(0, SCRUB_WINDOW)));
  const headerTracking = str(headers.get('trackingid'));
  let body: unknown;
  try {
    body = bodyText.trim() === '' ? undefined : JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  if (!isRecord(body)) {
    const text = bodyText.trim() === '' ? null : truncate(bodyText);
    return { message: text, vendorCode: null, trackingId: headerTracking };
  }
  const errors = Array.isArray(body['errors']) ? (body['errors'] as unknown[]) : [];
  const first = errors[0];
  const errorTexts = errors
    .map((e) => (isRecord(e) ? str(e['description']) ?? str(e['message']) : str(e)))
    .filter((e): e is string => e !== null);
  const firstCode = isRecord(first) ? str(first['errorCode']) : null;
  // RFC 6749 token endpoints: {error: "invalid_grant", error_description}.
  const oauthCode = typeof body['error'] === 'string' ? str(body['error']) : null;
  const message = str(body['message']) ?? (errorTexts.length > 0 ? errorTexts.join('; ') : null) ?? str(body['error_description']) ?? oauthCode;
  const detail = str(body['message']) !== null && errorTexts.length > 0 && errorTexts[0] !== message ? errorTexts[0] : null;
  return {
    message: message === null ? truncate(bodyText) : truncate(detail === null || detail === undefined ? message : `${message} (${detail})`),
    vendorCode: str(body['code']) ?? firstCode ?? oauthCode,
    trackingId: str(body['trackingId']) ?? headerTracking,
  };
}
