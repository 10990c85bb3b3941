import { z } from 'zod';
import { systemClock, type Clock } from '../../clock.js';
import { VendorApiError } from '../../errors.js';
import type { VendorAssignment, VendorPool, VendorSnapshot } from '../../domain/vendor-snapshot.js';
import { HttpJson, type HttpJsonOptions } from '../http-json.js';
import type { TrackedVendorClient } from '../tracked-vendor-client.js';

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

export interface WebexLicensesClientOptions extends Omit<HttpJsonOptions, 'vendor'> {
  /** e.g. https://webexapis.com/v1 */
  baseUrl: string;
  /** Admin-scoped token (spark-admin:licenses_read); never a bot token. */
  token: string;
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
  const { baseUrl, token, orgId, clock = systemClock, concurrency = 4, userPageSize = 300, ...http } = options;
  const base = baseUrl.replace(/\/+$/, '');
  const connectionId = orgId ?? 'default';
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const knownSecrets = [token, ...(http.knownSecrets ?? [])];
  let current: HttpJson | null = null;

  return {
    vendor: 'webex',
    connectionId,
    progress: () => ({ pages: current?.stats.pages ?? 0, requests: current?.stats.requests ?? 0, retries: current?.stats.retries ?? 0 }),
    async fetchSnapshot(signal?: AbortSignal): Promise<VendorSnapshot> {
      const client = new HttpJson({ retryAfterFallbackMs: 15_000, ...http, vendor: 'webex', knownSecrets });
      current = client;
      const sig = signal === undefined ? {} : { signal };
      const listUrl = new URL(`${base}/licenses`);
      if (orgId !== undefined && orgId !== null) listUrl.searchParams.set('orgId', orgId);
      const list = await client.request({ url: listUrl.toString(), headers, schema: WebexLicenseList, ...sig });
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
          for await (const page of client.paginate({ url: url.toString(), headers, schema: WebexLicenseDetail, signal: inner })) {
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
        stats: { requests: client.stats.requests, pages: client.stats.pages, retries: client.stats.retries },
      };
    },
  };
}
