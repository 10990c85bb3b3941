import pThrottle from 'p-throttle';
import { systemClock, type Clock } from '../../../clock.js';
import type { VendorPool, VendorSnapshot } from '../../../domain/vendor-snapshot.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions } from '../../http/http-json-types.js';
import type { TrackedVendorClient } from '../../tracked-vendor-client.js';
import { toMerakiCotermPools } from './meraki-coterm-pools.js';
import { MerakiPerDevicePools } from './meraki-per-device-pools.js';
import {
  MerakiCotermOverview,
  MerakiLicensePage,
  MerakiOrganization,
  MerakiPerDeviceOverview,
  MerakiSubscriptionPage,
} from './meraki-schemas.js';
import { toMerakiSubscriptionPools } from './meraki-subscription-pools.js';

/** Hosts Meraki may redirect to; the docs say to keep Authorization across them (vendor-apis.md 2.1). */
export const MERAKI_HOST_SUFFIXES: readonly string[] = ['.meraki.com', '.meraki.ca', '.meraki.cn', '.meraki.in', '.gov-meraki.com'];

export interface MerakiLicensesClientOptions extends Omit<HttpJsonOptions, 'vendor'> {
  /** e.g. https://api.meraki.com/api/v1 (or a regional host) */
  baseUrl: string;
  apiKey: string;
  orgId: string;
  /** 'bearer' (default): `Authorization: Bearer <key>`; 'header': `X-Cisco-Meraki-API-Key`. */
  authScheme?: 'bearer' | 'header';
  /** Client-side limit per org, default 8 (Meraki allows 10); 0 turns throttling off (benchmarks). */
  maxRequestsPerSecond?: number;
  /** Licenses per page, 3–1000, default 1000. */
  perPage?: number;
  clock?: Clock;
}

/** Wraps each request in a strict p-throttle window shared by every snapshot of this client. */
function merakiThrottle(perSecond: number): (<T>(fn: () => Promise<T>) => Promise<T>) | undefined {
  if (perSecond <= 0) return undefined;
  const run = pThrottle({ limit: perSecond, interval: 1000, strict: true })((fn: () => Promise<unknown>) => fn());
  return <T>(fn: () => Promise<T>): Promise<T> => run(fn) as Promise<T>;
}

/** Meraki licensing for one organization, whatever its licensing model (vendor-apis.md sections 2 and 8). */
export function createMerakiLicensesClient(options: MerakiLicensesClientOptions): TrackedVendorClient {
  const { baseUrl, apiKey, orgId, authScheme = 'bearer', maxRequestsPerSecond = 8, perPage = 1000, clock = systemClock, ...http } = options;
  const base = baseUrl.replace(/\/+$/, '');
  const org = `${base}/organizations/${encodeURIComponent(orgId)}`;
  const headers: Record<string, string> =
    authScheme === 'header' ? { 'x-cisco-meraki-api-key': apiKey, accept: 'application/json' } : { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
  const throttle = http.throttle ?? merakiThrottle(maxRequestsPerSecond);
  const allowedHostSuffixes = [...MERAKI_HOST_SUFFIXES, ...(http.allowedHostSuffixes ?? [])];
  const knownSecrets = [apiKey, ...(http.knownSecrets ?? [])];
  let current: HttpJson | null = null;

  return {
    vendor: 'meraki',
    connectionId: orgId,
    progress: () => ({ pages: current?.stats.pages ?? 0, requests: current?.stats.requests ?? 0, retries: current?.stats.retries ?? 0 }),
    async fetchSnapshot(signal?: AbortSignal): Promise<VendorSnapshot> {
      const client = new HttpJson({ ...http, vendor: 'meraki', allowedHostSuffixes, knownSecrets, ...(throttle === undefined ? {} : { throttle }) });
      current = client;
      const sig = signal === undefined ? {} : { signal };
      const nowMs = clock.now().getTime();
      const info = await client.request({ url: org, headers, schema: MerakiOrganization, ...sig });
      const model = info.data.licensing?.model ?? 'per-device';

      let pools: VendorPool[];
      let assignments: VendorSnapshot['assignments'] = [];
      if (model === 'per-device') {
        const fold = new MerakiPerDevicePools(orgId);
        const first = `${org}/licenses?perPage=${perPage}`;
        for await (const page of client.paginate({ url: first, headers, schema: MerakiLicensePage, ...sig })) {
          for (const l of page.data) fold.add(l);
        }
        const overview = await client.request({ url: `${org}/licenses/overview`, headers, schema: MerakiPerDeviceOverview, ...sig });
        pools = fold.pools(overview.data);
        assignments = fold.assignments;
      } else if (model === 'co-term') {
        const overview = await client.request({ url: `${org}/licenses/overview`, headers, schema: MerakiCotermOverview, ...sig });
        pools = toMerakiCotermPools(orgId, overview.data, nowMs);
      } else {
        const q = new URLSearchParams();
        q.append('organizationIds[]', orgId);
        pools = [];
        const first = `${base}/administered/licensing/subscription/subscriptions?${q.toString()}`;
        for await (const page of client.paginate({ url: first, headers, schema: MerakiSubscriptionPage, ...sig })) {
          for (const s of page.data) pools.push(...toMerakiSubscriptionPools(s, nowMs));
        }
      }

      return {
        vendor: 'meraki',
        connectionId: orgId,
        externalOrgId: orgId,
        fetchedAt: clock.now().toISOString(),
        pools,
        assignments,
        stats: { requests: client.stats.requests, pages: client.stats.pages, retries: client.stats.retries },
      };
    },
  };
}
