import { z } from 'zod';
import { systemClock, type Clock } from '../../clock.js';
import { VendorApiError } from '../../errors.js';
import type { AssigneeKind, Compliance, LicenseModel, PoolState, SeatUnit } from '../../domain/ledger.js';
import type {
  VendorAssignment,
  VendorClient,
  VendorPool,
  VendorSnapshot,
} from '../../domain/vendor-snapshot.js';
import { HttpJson, type HttpJsonOptions } from '../http-json.js';

export interface CpodLicensesClientOptions extends Omit<HttpJsonOptions, 'vendor'> {
  /** e.g. https://cpod.example.com (paths /api/v1/licenses… are appended). */
  baseUrl: string;
  /** The tenant's JWT, sent as `Authorization: Bearer`. */
  token: string;
  /** Defaults to the JWT's tenant claim (`tenant_id`/`tenantId`/`tid`), else 'default'. */
  connectionId?: string;
  clock?: Clock;
  /** Asked for with `?limit=` on the first page (servers may ignore it). Default 100. */
  pageSize?: number;
}

const VENDOR = 'cpod';
const MAX_PAGES = 10_000;

/*
 * cPod's list envelope and paging are undocumented (vendor-apis.md 4). Accepted here:
 *   body: a bare array, or an object with the records in `items`, `data` or `results`;
 *   next page: a `Link: <url>; rel="next"` header, else `next` / `next_cursor` / `nextCursor` / `next_page_token` /
 *   `nextPageToken` in the envelope, holding either a URL (absolute or /relative) or an opaque cursor, which is sent
 *   back as `?cursor=` on the first page's URL. `has_more: false` ends paging even if a cursor is present.
 * Next URLs must stay on the configured origin (the bearer token goes with them).
 */
const listPage = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);
type ListPage = z.infer<typeof listPage>;
const NEXT_KEYS = ['next', 'next_cursor', 'nextCursor', 'next_page_token', 'nextPageToken'] as const;

const softDeleted = z.object({
  id: z.string().min(1),
  is_deleted: z.boolean().nullish(),
  tenant_id: z.string().nullish(),
});
const text = z.string().nullish();
const seats = z.number().nonnegative().nullish();

const licenseRecord = z.object({
  id: z.string().min(1),
  tenant_id: text,
  product_name: z.string().min(1),
  product_sku: text,
  vendor: text,
  license_type: z.string().min(1),
  total_seats: seats,
  used_seats: seats,
  available_seats: z.number().nullish(),
  purchase_date: text,
  expiry_date: text,
  renewal_date: text,
  auto_renew: z.boolean().nullish(),
  contract_reference: text,
  status: text,
  compliance_status: text,
});

const assignmentRecord = z.object({
  id: z.string().min(1),
  tenant_id: text,
  license_id: z.string().min(1),
  assignee_id: z.string().min(1),
  assignee_type: z.string().min(1),
  /** Not in the documented fields; used when a server sends it. */
  assignee_email: text,
  assignee_name: text,
  assigned_at: text,
  expires_at: text,
  last_used_at: text,
  status: text,
});

type LicenseRecord = z.infer<typeof licenseRecord>;
type AssignmentRecord = z.infer<typeof assignmentRecord>;

const LICENSE_MODELS: Record<string, { model: LicenseModel; unit: SeatUnit }> = {
  named_user: { model: 'named_user', unit: 'user' },
  concurrent: { model: 'concurrent', unit: 'seat' },
  site: { model: 'site', unit: 'seat' },
};
const STATES: Record<string, PoolState> = {
  active: 'active',
  expiring_soon: 'expiring',
  expiring: 'expiring',
  expired: 'expired',
  inactive: 'inactive',
  suspended: 'inactive',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  pending: 'queued',
  queued: 'queued',
  unused: 'unused',
};
const COMPLIANCE: Record<string, Compliance> = {
  ok: 'ok',
  compliant: 'ok',
  in_compliance: 'ok',
  over_allocated: 'over_allocated',
  under_utilized: 'under_utilized',
  under_utilised: 'under_utilized',
};
const ACTIVE_ASSIGNMENT = new Set(['', 'active', 'assigned', 'in_use']);
const PENDING_ASSIGNMENT = new Set(['pending', 'invited', 'requested', 'reserved']);
const ASSIGNEE_KINDS: Record<string, AssigneeKind> = {
  person: 'user',
  user: 'user',
  group: 'group',
  team: 'group',
};

const key = (v: string | null | undefined): string =>
  (v ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

function iso(v: string | null | undefined): string | null {
  if (v === null || v === undefined || v.trim() === '') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function schemaError(message: string): VendorApiError {
  return new VendorApiError(VENDOR, 'VENDOR_SCHEMA', message);
}

/** Pure: one live cPod SoftwareLicense as a pool (vendor-apis.md 8, cPod). */
export function mapCpodPool(r: LicenseRecord): VendorPool {
  const model = LICENSE_MODELS[key(r.license_type)];
  if (model === undefined)
    throw schemaError(`license ${r.id} has an unknown license_type "${r.license_type.slice(0, 40)}"`);
  const total = r.total_seats ?? null;
  const used = r.used_seats ?? null;
  const compliance =
    COMPLIANCE[key(r.compliance_status)] ??
    (total !== null && used !== null && used > total ? 'over_allocated' : 'unknown');
  return {
    externalId: r.id,
    sourceKind: 'cpod.software_license',
    productName: r.product_name,
    sku: r.product_sku ?? null,
    licenseModel: model.model,
    unit: model.unit,
    totalSeats: total,
    consumedSeats: used,
    availableSeats: total === null ? null : (r.available_seats ?? null),
    startDate: iso(r.purchase_date),
    expiryDate: iso(r.expiry_date),
    renewalDate: iso(r.renewal_date),
    autoRenew: r.auto_renew ?? null,
    state: STATES[key(r.status)] ?? 'unknown',
    vendorState: r.status ?? null,
    compliance,
    subscriptionRef: r.contract_reference ?? null,
    scope: {},
    metered: true,
  };
}

/** Pure: a LicenseAssignment as a held seat, or null when its status holds none (revoked, expired, …). */
export function mapCpodAssignment(r: AssignmentRecord): VendorAssignment | null {
  const status = key(r.status);
  const held = ACTIVE_ASSIGNMENT.has(status) ? 'active' : PENDING_ASSIGNMENT.has(status) ? 'pending' : null;
  if (held === null) return null;
  const kind = ASSIGNEE_KINDS[key(r.assignee_type)];
  if (kind === undefined)
    throw schemaError(`assignment ${r.id} has an unknown assignee_type "${r.assignee_type.slice(0, 40)}"`);
  const email = r.assignee_email?.trim().toLowerCase();
  return {
    poolExternalId: r.license_id,
    externalId: r.id,
    assignee: {
      kind,
      id: r.assignee_id,
      email: email === undefined || email === '' ? null : email,
      name: r.assignee_name ?? null,
    },
    seats: 1,
    status: held,
    assignedAt: iso(r.assigned_at),
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    external: null,
  };
}

/** The tenant claim of a JWT's payload, without verifying it (the server does). */
export function cpodTenantFromJwt(token: string): string | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (typeof claims !== 'object' || claims === null) return null;
    const c = claims as Record<string, unknown>;
    const t = c['tenant_id'] ?? c['tenantId'] ?? c['tid'];
    return typeof t === 'string' && t.trim() !== '' ? t : null;
  } catch {
    return null;
  }
}

function recordsOf(data: ListPage, where: string): unknown[] {
  if (Array.isArray(data)) return data;
  for (const k of ['items', 'data', 'results']) {
    const v = data[k];
    if (Array.isArray(v)) return v as unknown[];
  }
  throw schemaError(`${where} answered an object without an items, data or results array`);
}

function envelopeNext(data: ListPage): string | null {
  if (Array.isArray(data) || data['has_more'] === false || data['hasMore'] === false) return null;
  for (const k of NEXT_KEYS) {
    const v = data[k];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return null;
}

/** cPod software licenses and their assignments, all pages, soft-deleted records skipped. */
export function createCpodLicensesClient(options: CpodLicensesClientOptions): VendorClient {
  const { baseUrl, token, clock = systemClock, pageSize = 100, ...rest } = options;
  const { connectionId: configured, ...httpOptions } = rest;
  const jwtTenant = cpodTenantFromJwt(token);
  const connectionId = configured ?? jwtTenant ?? 'default';
  const base = new URL(baseUrl.replace(/\/+$/, '') + '/');

  /** Every record of every page, by id (a record seen twice while the list shifts is kept once, last wins). */
  async function list<T extends { id: string }>(
    http: HttpJson,
    path: string,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
  ): Promise<T[]> {
    const first = new URL(path, base);
    first.searchParams.set('limit', String(pageSize));
    const seen = new Set<string>();
    const out = new Map<string, T>();
    let url = first.toString();
    for (let page = 1; ; page++) {
      seen.add(url);
      const res = await http.request({
        url,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        schema: listPage,
        ...(signal === undefined ? {} : { signal }),
      });
      const where = `GET ${first.pathname} page ${page}`;
      recordsOf(res.data, where).forEach((raw, i) => {
        const head = softDeleted.safeParse(raw);
        if (head.success && head.data.is_deleted === true) return;
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const at =
            issue === undefined
              ? ''
              : ` at ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
          const which = head.success ? ` (id ${head.data.id.slice(0, 60)})` : '';
          throw schemaError(`${where}: record ${i}${which} is invalid${at}`);
        }
        out.set(parsed.data.id, parsed.data);
      });
      const cursor = res.next ?? envelopeNext(res.data);
      if (cursor === null) return [...out.values()];
      let next: URL;
      if (/^(https?:)?\//i.test(cursor)) next = new URL(cursor, url);
      else {
        next = new URL(first);
        next.searchParams.set('cursor', cursor);
      }
      if (next.origin !== base.origin)
        throw new VendorApiError(
          VENDOR,
          'VENDOR_BAD_LINK',
          `${where}: next page on another host ${next.host}`,
        );
      if (seen.has(next.toString()))
        throw new VendorApiError(
          VENDOR,
          'VENDOR_BAD_LINK',
          `${where}: next page points back to a page already read`,
        );
      if (page >= MAX_PAGES)
        throw new VendorApiError(VENDOR, 'VENDOR_BAD_LINK', `${where}: more than ${MAX_PAGES} pages`);
      url = next.toString();
    }
  }

  async function fetchSnapshot(signal?: AbortSignal): Promise<VendorSnapshot> {
    const http = new HttpJson({ ...httpOptions, vendor: VENDOR, clock });
    const licenses = await list(http, 'api/v1/licenses', licenseRecord, signal);
    const assignmentRows = await list(http, 'api/v1/licenses/assignments', assignmentRecord, signal);
    const fetchedAt = clock.now().toISOString();

    const tenants = new Set(
      [...licenses, ...assignmentRows]
        .map((r) => r.tenant_id)
        .filter((t): t is string => typeof t === 'string'),
    );
    const expected = configured ?? jwtTenant;
    if (
      tenants.size > 1 ||
      (expected !== null && expected !== 'default' && tenants.size === 1 && !tenants.has(expected))
    ) {
      throw new VendorApiError(
        VENDOR,
        'VENDOR_TENANT_MISMATCH',
        `records belong to tenant(s) ${[...tenants].join(', ')}, expected ${expected ?? 'one tenant'}`,
      );
    }

    const pools = licenses.map(mapCpodPool);
    const live = new Set(pools.map((p) => p.externalId));
    const assignments: VendorAssignment[] = [];
    let orphaned = 0;
    let notHeld = 0;
    for (const row of assignmentRows) {
      if (!live.has(row.license_id)) {
        orphaned++;
        continue;
      }
      const a = mapCpodAssignment(row);
      if (a === null) notHeld++;
      else assignments.push(a);
    }
    httpOptions.logger?.child({ vendor: VENDOR }).debug({ orphaned, notHeld }, 'cpod assignments skipped');
    return {
      vendor: 'cpod',
      connectionId,
      externalOrgId: [...tenants][0] ?? jwtTenant,
      fetchedAt,
      pools,
      assignments,
      stats: { requests: http.stats.requests, pages: http.stats.pages, retries: http.stats.retries },
    };
  }

  return { vendor: 'cpod', connectionId, fetchSnapshot };
}
