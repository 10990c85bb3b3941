import { z } from 'zod';
import { systemClock, type Clock } from '../../../clock.js';
import { VendorApiError } from '../../../errors.js';
import type { VendorAssignment, VendorPool, VendorSnapshot } from '../../../domain/vendor-snapshot.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions, HttpJsonRequest, HttpJsonResponse } from '../../http/http-json-types.js';
import type { TrackedVendorClient, VendorProgress } from '../../tracked-vendor-client.js';
import type { AccessTokenSource } from '../../http/access-token-source.js';
import { fixedTokenSource } from '../../http/fixed-token-source.js';
import { WEBEX_API_HOSTS } from './webex-api-hosts.js';

const WebexLicense = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  totalUnits: z.number().optional(),
  consumedUnits: z.number().optional(),
  consumedByUsers: z.number().optional(),
  consumedByWorkspaces: z.number().optional(),
  subscriptionId: z.string().optional(),
  siteUrl: z.string().optional(),
  siteType: z.string().optional(),
});
type WebexLicense = z.infer<typeof WebexLicense>;

const WebexLicenseList = z.object({ items: z.array(WebexLicense) });

const WebexUser = z.object({
  id: z.string().min(1),
  type: z.string().optional(),
  displayName: z.string().optional(),
  email: z.string().optional(),
});
const WebexLicenseDetail = WebexLicense.extend({ users: z.array(WebexUser).optional() });

/**
 * The admin credential (spark-admin:licenses_read; never a bot token): a fixed `token`, or a `tokenSource` that
 * refreshes (createWebexTokenSource), in which case a 401 gets one fresh token and one retry per request.
 */
export type WebexLicensesAuth = { token: string; tokenSource?: undefined } | { tokenSource: AccessTokenSource; token?: undefined };

export type WebexLicensesClientOptions = WebexLicensesClientSettings & WebexLicensesAuth;

export interface WebexLicensesClientSettings extends Omit<HttpJsonOptions, 'vendor'> {
  /** e.g. https://webexapis.com/v1, or a proxy for it (next links may lead back to Webex's own hosts). */
  baseUrl: string;
  orgId?: string | null;
  clock?: Clock;
  /** License detail requests in flight at once, default 4. */
  concurrency?: number;
  /** Users per detail page, default (and Webex maximum) 300. */
  userPageSize?: number;
}

/** Hybrid Services licenses always read 1/0: Webex does not meter them. */
function isUnmetered(l: WebexLicense): boolean {
  return /\bhybrid\b/i.test(l.name ?? '');
}

export function toWebexPool(l: WebexLicense): VendorPool {
  const total = l.totalUnits ?? null;
  const consumed = l.consumedUnits ?? null;
  const metered = !isUnmetered(l);
  const scope: VendorPool['scope'] = {};
  if (l.siteUrl !== undefined) scope.siteUrl = l.siteUrl;
  if (l.siteType !== undefined) scope.siteType = l.siteType;
  return {
    externalId: l.id,
    sourceKind: 'webex.license',
    productName: l.name ?? l.id,
    sku: null,
    licenseModel: 'named_user',
    unit: 'user',
    totalSeats: total,
    consumedSeats: consumed,
    availableSeats: total !== null && consumed !== null ? Math.max(0, total - consumed) : null,
    startDate: null,
    expiryDate: null,
    renewalDate: null,
    autoRenew: null,
    state: 'active',
    vendorState: null,
    compliance: !metered ? 'ok' : total === null || consumed === null ? 'unknown' : consumed > total ? 'over_allocated' : 'ok',
    subscriptionRef: l.subscriptionId ?? null,
    scope,
    metered,
  };
}

/** Runs `task` for each item with at most `limit` in flight; the first failure aborts the rest and is thrown. */
async function forEachBounded<T>(items: readonly T[], limit: number, task: (item: T, signal: AbortSignal) => Promise<void>, outer?: AbortSignal): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  outer?.addEventListener('abort', stop, { once: true });
  let nextIndex = 0;
  let firstError: unknown = undefined;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && nextIndex < items.length) {
      const item = items[nextIndex++] as T;
      try {
        await task(item, controller.signal);
      } catch (err) {
        if (!failed) {
          failed = true;
          firstError = err;
          controller.abort();
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  } finally {
    outer?.removeEventListener('abort', stop);
  }
  if (failed) throw firstError;
}

/** Webex licenses and the users holding them (vendor-apis.md sections 1 and 8). */
export function createWebexLicensesClient(options: WebexLicensesClientOptions): TrackedVendorClient {
  const { baseUrl, token, tokenSource, orgId, clock = systemClock, concurrency = 4, userPageSize = 300, ...http } = options;
  const tokens = tokenSource ?? fixedTokenSource(token);
  const base = baseUrl.replace(/\/+$/, '');
  const connectionId = orgId ?? 'default';
  const headers = { accept: 'application/json' };
  const allowedHostSuffixes = [...WEBEX_API_HOSTS, ...(http.allowedHostSuffixes ?? [])];
  /** The snapshot under way (or the last one), with the token source's counts when it started. */
  let current: { client: HttpJson; tokenStats: AccessTokenSource['stats'] } | null = null;
  /** Pages, and requests and retries including token refreshes, of the snapshot under way (or the last one). */
  const readProgress = (): VendorProgress =>
    current === null
      ? { pages: 0, requests: 0, retries: 0 }
      : {
          pages: current.client.stats.pages,
          requests: current.client.stats.requests + tokens.stats.requests - current.tokenStats.requests,
          retries: current.client.stats.retries + tokens.stats.retries - current.tokenStats.retries,
        };

  return {
    vendor: 'webex',
    connectionId,
    progress: readProgress,
    async fetchSnapshot(signal?: AbortSignal): Promise<VendorSnapshot> {
      const knownSecrets = [...tokens.secrets(), ...(http.knownSecrets ?? [])];
      const client = new HttpJson({ retryAfterFallbackMs: 15_000, ...http, vendor: 'webex', knownSecrets, allowedHostSuffixes });
      current = { client, tokenStats: { ...tokens.stats } };

      /** One request with the current access token; on 401 a renewable token is refreshed (shared) and retried once. */
      async function send<T>(req: HttpJsonRequest<T>): Promise<HttpJsonResponse<T>> {
        let accessToken = await tokens.getToken(req.signal);
        for (let renewed = false; ; renewed = true) {
          try {
            return await client.request({ ...req, headers: { ...req.headers, authorization: `Bearer ${accessToken}` } });
          } catch (err) {
            if (!(err instanceof VendorApiError) || err.status !== 401 || !tokens.renewable) throw err;
            if (renewed) {
              throw new VendorApiError(
                'webex',
                'VENDOR_AUTH',
                `the API refused a freshly refreshed access token (HTTP 401): check that the integration or service app has spark-admin:licenses_read and is authorised for the org`,
                { status: 401, vendorCode: err.vendorCode, trackingId: err.trackingId, cause: err },
              );
            }
            tokens.invalidate(accessToken);
            accessToken = await tokens.getToken(req.signal);
          }
        }
      }

      const sig = signal === undefined ? {} : { signal };
      const listUrl = new URL(`${base}/licenses`);
      if (orgId !== undefined && orgId !== null) listUrl.searchParams.set('orgId', orgId);
      const list = await send({ url: listUrl.toString(), headers, schema: WebexLicenseList, ...sig });
      const licenses = list.data.items;
      const seenIds = new Set<string>();
      for (const l of licenses) {
        if (seenIds.has(l.id)) throw new VendorApiError('webex', 'VENDOR_SCHEMA', `GET ${base}/licenses listed license ${l.id} twice`);
        seenIds.add(l.id);
      }

      const perLicense: VendorAssignment[][] = new Array<VendorAssignment[]>(licenses.length);
      const order = new Map(licenses.map((l, i) => [l.id, i]));
      await forEachBounded(
        licenses,
        concurrency,
        async (l, inner) => {
          const out: VendorAssignment[] = [];
          const seenUsers = new Set<string>();
          const url = new URL(`${base}/licenses/${encodeURIComponent(l.id)}`);
          url.searchParams.set('includeAssignedTo', 'user');
          url.searchParams.set('limit', String(userPageSize));
          for await (const page of client.paginate({ url: url.toString(), headers, schema: WebexLicenseDetail, signal: inner }, send)) {
            for (const u of page.data.users ?? []) {
              if (seenUsers.has(u.id)) continue;
              seenUsers.add(u.id);
              out.push({
                poolExternalId: l.id,
                externalId: `${l.id}:${u.id}`,
                assignee: { kind: 'user', id: u.id, email: u.email ?? null, name: u.displayName ?? null },
                seats: 1,
                status: 'active',
                assignedAt: null,
                expiresAt: null,
                lastUsedAt: null,
                external: u.type === undefined ? null : u.type === 'EXTERNAL',
              });
            }
          }
          perLicense[order.get(l.id) ?? 0] = out;
        },
        signal,
      );

      return {
        vendor: 'webex',
        connectionId,
        externalOrgId: orgId ?? null,
        fetchedAt: clock.now().toISOString(),
        pools: licenses.map(toWebexPool),
        assignments: perLicense.flat(),
        stats: readProgress(),
      };
    },
  };
}
