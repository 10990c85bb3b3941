import { z } from 'zod';
import { VendorApiError } from '../../../errors.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions, HttpJsonRequest, HttpJsonResponse } from '../../http/http-json-types.js';
import type { AccessTokenSource } from '../../http/access-token-source.js';
import { fixedTokenSource } from '../../http/fixed-token-source.js';
import type { SeatWrite, SeatWriteOutcome, SeatWriter } from '../seat-writer.js';
import { writeFailure } from '../vendor-failure.js';
import { WEBEX_API_HOSTS } from './webex-api-hosts.js';

/** The scope a license write needs besides reading them (webex-platform.md section 8). */
export const WEBEX_WRITE_SCOPE = 'spark-admin:people_write (with spark-admin:licenses_read)';

const Person = z.object({ id: z.string().min(1), emails: z.array(z.string()).optional(), licenses: z.array(z.string()).optional() });
const PeopleList = z.object({ items: z.array(Person) });
/** UserLicensesResponse of PATCH /licenses/users (200 and 206). */
const UserLicenses = z.object({
  orgId: z.string().optional(),
  personId: z.string().optional(),
  email: z.string().optional(),
  licenses: z.array(z.string()).default([]),
  pendingLicenses: z.array(z.string()).optional(),
});

export interface WebexLicenseWriterOptions extends Omit<HttpJsonOptions, 'vendor'> {
  /** e.g. https://webexapis.com/v1 */
  baseUrl: string;
  orgId?: string | null;
  /** The admin credential, shared with the license reader (one refresh for both). */
  tokenSource?: AccessTokenSource;
  token?: string;
}

/**
 * Assigns and removes one Webex license per call: reads the person's `licenses` first (GET /people?email=, or
 * /people/{id}) and skips an add already there or a remove already gone; else PATCH /licenses/users. 206, or an
 * answer without the license, is a refusal naming what was not assigned; a license in `pendingLicenses` waits for
 * the user's acceptance (people outside the org). Retries (429 Retry-After, 5xx) are HttpJson's; a PATCH add or
 * remove is idempotent at Webex, so a retried PATCH cannot assign twice.
 */
export function createWebexLicenseWriter(options: WebexLicenseWriterOptions): SeatWriter {
  const { baseUrl, orgId, tokenSource, token, ...http } = options;
  const tokens = tokenSource ?? fixedTokenSource(token ?? '');
  const base = baseUrl.replace(/\/+$/, '');
  const allowedHostSuffixes = [...WEBEX_API_HOSTS, ...(http.allowedHostSuffixes ?? [])];
  const client = (): HttpJson =>
    new HttpJson({ retryAfterFallbackMs: 15_000, ...http, vendor: 'webex', knownSecrets: [...tokens.secrets(), ...(http.knownSecrets ?? [])], allowedHostSuffixes });

  async function send<T>(c: HttpJson, req: HttpJsonRequest<T>): Promise<HttpJsonResponse<T>> {
    let accessToken = await tokens.getToken(req.signal);
    for (let renewed = false; ; renewed = true) {
      try {
        return await c.request({ ...req, headers: { accept: 'application/json', ...req.headers, authorization: `Bearer ${accessToken}` } });
      } catch (err) {
        if (!(err instanceof VendorApiError) || err.status !== 401 || !tokens.renewable || renewed) throw err;
        tokens.invalidate(accessToken);
        accessToken = await tokens.getToken(req.signal);
      }
    }
  }

  const lookupUrl = (w: SeatWrite): string => {
    if (w.assignee.email !== null) {
      const u = new URL(`${base}/people`);
      u.searchParams.set('email', w.assignee.email);
      if (orgId) u.searchParams.set('orgId', orgId);
      return u.toString();
    }
    return `${base}/people/${encodeURIComponent(w.assignee.id)}`;
  };
  const patchBody = (w: SeatWrite, personId: string | null): Record<string, unknown> => ({
    ...(w.assignee.email !== null ? { email: w.assignee.email } : { personId: personId ?? w.assignee.id }),
    ...(orgId ? { orgId } : {}),
    licenses: [{ id: w.licenseId, operation: w.op }],
  });

  return {
    vendor: 'webex',
    describe(w) {
      return [`GET ${lookupUrl(w)}`, `PATCH ${base}/licenses/users ${JSON.stringify(patchBody(w, null))}`];
    },
    async write(w, signal): Promise<SeatWriteOutcome> {
      const c = client();
      const sig = signal === undefined ? {} : { signal };
      try {
        let person: z.infer<typeof Person> | null;
        if (w.assignee.email !== null) {
          const res = await send(c, { url: lookupUrl(w), schema: PeopleList, ...sig });
          person = res.data.items[0] ?? null;
        } else {
          try {
            person = (await send(c, { url: lookupUrl(w), schema: Person, ...sig })).data;
          } catch (err) {
            if (!(err instanceof VendorApiError) || err.status !== 404) throw err;
            person = null;
          }
        }
        const holds = person?.licenses?.includes(w.licenseId) ?? false;
        if (w.op === 'add' && holds) return { kind: 'done', noop: true, detail: 'Webex already lists the license for the user' };
        if (w.op === 'remove' && !holds && w.pendingAcceptance !== true) return { kind: 'done', noop: true, detail: person === null ? 'not a Webex user of the org' : 'Webex no longer lists the license for the user' };
        const res = await send(c, {
          url: `${base}/licenses/users`,
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(patchBody(w, person?.id ?? null)),
          schema: UserLicenses,
          ...sig,
        });
        const listed = res.data.licenses.includes(w.licenseId);
        const pending = res.data.pendingLicenses?.includes(w.licenseId) ?? false;
        if (w.op === 'add') {
          if (pending) return { kind: 'pending_acceptance', detail: 'Webex holds the license until the user accepts the invitation' };
          if (!listed) {
            const partial = res.status === 206 ? '206 Partial Content: ' : '';
            return { kind: 'refused', reason: `${partial}Webex did not assign license ${w.licenseId} (the user has ${res.data.licenses.length} other license(s))` };
          }
          return { kind: 'done', noop: false, detail: 'assigned' };
        }
        if (listed || pending) {
          const partial = res.status === 206 ? '206 Partial Content: ' : '';
          return { kind: 'refused', reason: `${partial}Webex still lists license ${w.licenseId} for the user` };
        }
        return { kind: 'done', noop: false, detail: 'removed' };
      } catch (err) {
        return writeFailure(err, 'Webex', WEBEX_WRITE_SCOPE, { conflictIsTransient: true });
      }
    },
  };
}
