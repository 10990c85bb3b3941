import { z } from 'zod';
import { systemClock, type Clock } from '../../../clock.js';
import { VendorApiError } from '../../../errors.js';
import type { Compliance, PoolState } from '../../../domain/ledger.js';
import type { VendorAssignment, VendorPool, VendorSnapshot } from '../../../domain/vendor-snapshot.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions, HttpJsonRequest } from '../../http/http-json-types.js';
import type { TrackedVendorClient, VendorProgress } from '../../tracked-vendor-client.js';
import type { ZohoAccessToken, ZohoTokenSource } from './zoho-token-source.js';
import { parseVendorTime } from '../parse-vendor-time.js';
import { zohoApiBase } from './zoho-api-base.js';
import { ZOHO_HOSTS } from './zoho-hosts.js';

export interface ZohoCrmLicensesClientOptions extends Omit<HttpJsonOptions, 'vendor'> {
  tokenSource: ZohoTokenSource;
  /**
   * API base used when the token answer carries no `api_domain`, e.g. https://www.zohoapis.eu; also when it
   * names a host that is not Zoho's (see zohoApiBase): then a warning is logged and the token stays here.
   */
  apiUrl: string;
  /** `apiUrl` was configured explicitly (ZOHO_API_URL): it is always used, whatever `api_domain` says. */
  apiUrlPinned?: boolean;
  /** The org id this connection is for: becomes `connectionId`, and a different org at Zoho is refused. */
  orgIdHint?: string;
  clock?: Clock;
  /** Users per page, 1..200 (default 200). */
  perPage?: number;
}

const VENDOR = 'zoho_crm';
const API_VERSION = 'v7';
const EXPIRING_MS = 90 * 24 * 3600_000;

const id = z.union([z.string().min(1), z.number()]).transform(String);
const count = z.object({ total: z.number().nullish() }).nullish();

const featuresAnswer = z.object({
  __features: z.array(
    z.object({
      api_name: z.string(),
      details: z
        .object({
          available_count: count,
          used_count: count,
          /** Documented sample and v8 OAS: `limits`; the seed's field list: `limit`. */
          limits: count,
          limit: count,
        })
        .nullish(),
    }),
  ),
});

const orgAnswer = z.object({
  org: z.array(
    z.object({
      id,
      license_details: z
        .object({
          paid: z.boolean().nullish(),
          paid_type: z.string().nullish(),
          paid_expiry: z.string().nullish(),
          trial_type: z.string().nullish(),
          trial_expiry: z.string().nullish(),
        })
        .nullish(),
    }),
  ),
});

const usersAnswer = z.object({
  users: z.array(
    z.object({
      id,
      email: z.string().nullish(),
      full_name: z.string().nullish(),
      status: z.string().nullish(),
      confirm: z.boolean().nullish(),
      created_time: z.string().nullish(),
    }),
  ),
  info: z.object({ more_records: z.boolean().nullish(), page: z.number().nullish() }).nullish(),
});

type OrgAnswer = z.infer<typeof orgAnswer>;
type FeaturesAnswer = z.infer<typeof featuresAnswer>;
type ZohoUser = z.infer<typeof usersAnswer>['users'][number];


function edition(paidType: string): string {
  return paidType
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join(' ');
}

function schemaError(message: string): VendorApiError {
  return new VendorApiError(VENDOR, 'VENDOR_SCHEMA', message);
}

/** Pure: the org's `user_licenses` feature and `license_details` as one normalized pool. */
export function mapZohoPool(org: OrgAnswer['org'][number], features: FeaturesAnswer, now: Date): VendorPool {
  const feature = features.__features.find((f) => f.api_name === 'user_licenses');
  if (feature === undefined)
    throw schemaError('__features/user_licenses answered without the user_licenses feature');
  const d = feature.details ?? null;
  const total = d?.limits?.total ?? d?.limit?.total ?? null;
  const consumed = d?.used_count?.total ?? null;
  const available = d?.available_count?.total ?? null;
  const ld = org.license_details ?? null;
  const paid = ld?.paid === true;
  const trial = !paid && (ld?.trial_type ?? null) !== null;
  const expiry = parseVendorTime(paid ? ld?.paid_expiry : trial ? ld?.trial_expiry : null);
  let state: PoolState = paid || trial ? 'active' : ld === null ? 'unknown' : 'inactive';
  if (state === 'active' && expiry !== null) {
    const left = Date.parse(expiry) - now.getTime();
    if (left <= 0) state = 'expired';
    else if (left <= EXPIRING_MS) state = 'expiring';
  }
  const compliance: Compliance =
    total === null || consumed === null ? 'unknown' : consumed > total ? 'over_allocated' : 'ok';
  const paidType = ld?.paid_type ?? null;
  return {
    externalId: `${org.id}:user_licenses`,
    sourceKind: 'zoho.user_licenses',
    productName: paidType === null || paidType.trim() === '' ? 'Zoho CRM' : `Zoho CRM ${edition(paidType)}`,
    sku: paidType,
    licenseModel: 'named_user',
    unit: 'user',
    totalSeats: total,
    consumedSeats: consumed,
    availableSeats: available,
    startDate: null,
    expiryDate: expiry,
    renewalDate: null,
    autoRenew: null,
    state,
    vendorState: ld === null ? null : paid ? 'paid' : trial ? `trial:${ld.trial_type ?? ''}` : 'unpaid',
    compliance,
    subscriptionRef: null,
    scope: {},
    metered: true,
  };
}

/** Pure: active users hold a seat (unconfirmed invitations as 'pending'); other statuses hold none. */
export function mapZohoAssignments(poolExternalId: string, users: readonly ZohoUser[]): VendorAssignment[] {
  const seen = new Set<string>();
  const out: VendorAssignment[] = [];
  for (const u of users) {
    if ((u.status ?? '').toLowerCase() !== 'active' || seen.has(u.id)) continue;
    seen.add(u.id);
    out.push({
      poolExternalId,
      externalId: `${poolExternalId}:${u.id}`,
      assignee: {
        kind: 'user',
        id: u.id,
        email: u.email?.trim().toLowerCase() || null,
        name: u.full_name ?? null,
      },
      seats: 1,
      status: u.confirm === false ? 'pending' : 'active',
      assignedAt: parseVendorTime(u.created_time),
      expiresAt: null,
      lastUsedAt: null,
      external: null,
    });
  }
  return out;
}

/** Zoho CRM user licenses: one pool per org, seat holders from the active users (vendor-apis.md 3, 8). */
export function createZohoCrmLicensesClient(options: ZohoCrmLicensesClientOptions): TrackedVendorClient {
  const { tokenSource, apiUrl, apiUrlPinned = false, orgIdHint, clock = systemClock, perPage = 200, ...httpOptions } = options;
  const connectionId = orgIdHint ?? 'default';
  const fallbackApi = apiUrl.replace(/\/+$/, '');
  const log = httpOptions.logger?.child({ vendor: VENDOR });
  const warned = new Set<string>();
  // A proxy in ZOHO_API_URL may redirect to Zoho's own API hosts (credentials kept); nowhere else.
  const allowedHostSuffixes = [...ZOHO_HOSTS.api, ...(httpOptions.allowedHostSuffixes ?? [])];
  let progress: () => VendorProgress = () => ({ pages: 0, requests: 0, retries: 0 });

  async function fetchSnapshot(signal?: AbortSignal): Promise<VendorSnapshot> {
    const http = new HttpJson({ ...httpOptions, vendor: VENDOR, clock, allowedHostSuffixes });
    const tokenStatsBefore = { ...tokenSource.stats };
    progress = () => ({
      pages: http.stats.pages,
      requests: http.stats.requests + tokenSource.stats.requests - tokenStatsBefore.requests,
      retries: http.stats.retries + tokenSource.stats.retries - tokenStatsBefore.retries,
    });
    let token: ZohoAccessToken = await tokenSource.getToken(signal);
    let refreshedOnce = false;

    /** The API base for the current token: its `api_domain` only when that is Zoho's (or the configured) host. */
    function apiBase(): string {
      const { base, refused, overridden } = zohoApiBase(token.apiDomain, fallbackApi, apiUrlPinned);
      if (overridden !== null && !warned.has(overridden)) {
        warned.add(overridden);
        log?.info(
          { apiDomain: overridden, using: fallbackApi },
          "ZOHO_API_URL is set, so it is used rather than the api_domain of Zoho's token answer",
        );
      }
      if (refused !== null && !warned.has(refused)) {
        warned.add(refused);
        log?.warn(
          { apiDomain: refused, using: fallbackApi },
          "Zoho's token answer named an api_domain that is not a Zoho API host (https *.zohoapis.*); ignored it, the token goes only to the API host of ZOHO_DC",
        );
      }
      return base;
    }

    /** One API call; on 401 INVALID_TOKEN the token is refreshed and the call retried, once per snapshot. */
    async function call<T>(path: string, req: Omit<HttpJsonRequest<T>, 'url'>): Promise<T> {
      for (;;) {
        const base = apiBase();
        try {
          const res = await http.request({
            ...req,
            url: `${base}/crm/${API_VERSION}${path}`,
            headers: { authorization: `Zoho-oauthtoken ${token.accessToken}`, accept: 'application/json' },
            ...(signal === undefined ? {} : { signal }),
          });
          return res.data;
        } catch (err) {
          const invalid =
            err instanceof VendorApiError &&
            err.status === 401 &&
            (err.vendorCode === 'INVALID_TOKEN' || err.vendorCode === 'INVALID_OAUTHTOKEN');
          if (!invalid) throw err;
          if (refreshedOnce) {
            throw new VendorApiError(
              VENDOR,
              'VENDOR_AUTH',
              `the API refused a freshly refreshed access token (${err.vendorCode ?? 'INVALID_TOKEN'}); check ZOHO_DC / ZOHO_API_URL match the data centre of the refresh token`,
              { status: 401, vendorCode: err.vendorCode, cause: err },
            );
          }
          refreshedOnce = true;
          tokenSource.invalidate(token.accessToken);
          token = await tokenSource.getToken(signal);
        }
      }
    }

    const org = (await call('/org', { schema: orgAnswer })).org[0];
    if (org === undefined) throw schemaError('org answered with no organization');
    if (orgIdHint !== undefined && org.id !== orgIdHint) {
      throw new VendorApiError(
        VENDOR,
        'VENDOR_ORG_MISMATCH',
        `credentials belong to org ${org.id}, not the configured ${orgIdHint}`,
      );
    }
    const features = await call('/__features/user_licenses', {
      schema: featuresAnswer,
      emptyAs: { __features: [] },
    });
    const fetchedAt = clock.now();
    const pool = mapZohoPool(org, features, fetchedAt);

    // Paged by number, not by link: the same page budget and loop check as paginate() (a page repeating an
    // earlier one's users, as from a server that ignores `page`, is a loop).
    const users: ZohoUser[] = [];
    const usersPath = (page: number): string => `/users?type=ActiveUsers&page=${page}&per_page=${perPage}`;
    const walk = http.startWalk(`GET ${apiBase()}/crm/${API_VERSION}/users`);
    for (let page = 1; ; page++) {
      const data = await call(usersPath(page), {
        schema: usersAnswer,
        emptyAs: { users: [], info: { more_records: false } },
      });
      walk.read(`${apiBase()}/crm/${API_VERSION}${usersPath(page)}`, data.users);
      users.push(...data.users);
      if (data.info?.more_records !== true) break;
      if (data.users.length === 0) throw schemaError(`users page ${page} was empty but claimed more records`);
      walk.follow(`${apiBase()}/crm/${API_VERSION}${usersPath(page + 1)}`);
    }

    return {
      vendor: 'zoho_crm',
      connectionId,
      externalOrgId: org.id,
      fetchedAt: fetchedAt.toISOString(),
      pools: [pool],
      assignments: mapZohoAssignments(pool.externalId, users),
      stats: progress(),
    };
  }

  return { vendor: 'zoho_crm', connectionId, fetchSnapshot, progress: () => progress() };
}
