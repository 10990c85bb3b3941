import type { HttpJsonRequest, HttpJsonResponse } from './http-json-types.js';
import { parseLinkNext } from './parse-link-next.js';

/** A 2xx answer as the caller gets it: Link rel=next resolved, the body parsed and checked against the schema. */
export function decodeResponse<T>(
  req: HttpJsonRequest<T>,
  ex: { status: number; headers: Headers; text: string; url: string },
  where: string,
  fail: (code: string, message: string, extra?: { status?: number | null; cause?: unknown }) => never,
): HttpJsonResponse<T> {
  let next: string | null;
  try {
    next = parseLinkNext(ex.headers.get('link'), ex.url);
  } catch {
    // No cause: URL errors carry the input, which may hold a secret.
    return fail('VENDOR_BAD_LINK', `${where} sent a Link header whose next URL cannot be parsed`, { status: ex.status });
  }
  let data: T;
  if (ex.status === 204 || ex.text.trim() === '') {
    if (!('emptyAs' in req)) return fail('VENDOR_BAD_JSON', `${where} answered HTTP ${ex.status} with an empty body`, { status: ex.status });
    data = req.emptyAs;
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ex.text);
    } catch {
      // No cause: JSON.parse quotes the text around the error, which may hold a secret echoed back.
      return fail('VENDOR_BAD_JSON', `${where} answered HTTP ${ex.status} with a body that is not JSON`, { status: ex.status });
    }
    const result = req.schema.safeParse(parsed);
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
      return fail('VENDOR_SCHEMA', `${where} answered with an unexpected shape at ${path}: ${issue?.message ?? 'invalid'}`, {
        status: ex.status,
      });
    }
    data = result.data;
  }
  return { status: ex.status, data, headers: ex.headers, next };
}
