import { systemClock, type Clock } from '../../../clock.js';
import { VendorApiError } from '../../../errors.js';
import type { VendorAssignment, VendorSnapshot } from '../../../domain/vendor-snapshot.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions } from '../../http/http-json-types.js';
import type { TrackedVendorClient } from '../../tracked-vendor-client.js';
import { mapCpodAssignment, mapCpodPool } from './cpod-mapping.js';
import { CpodAssignmentRecord, CpodLicenseRecord } from './cpod-schemas.js';
import { listCpodRecords } from './list-cpod-records.js';

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

/** cPod software licenses and their assignments, all pages, soft-deleted records skipped. */
export function createCpodLicensesClient(options: CpodLicensesClientOptions): TrackedVendorClient {
  const { baseUrl, token, clock = systemClock, pageSize = 100, ...rest } = options;
  const { connectionId: configured, ...httpOptions } = rest;
  const jwtTenant = cpodTenantFromJwt(token);
  const connectionId = configured ?? jwtTenant ?? 'default';
  const base = new URL(baseUrl.replace(/\/+$/, '') + '/');
  const target = { base, token, pageSize };
  const knownSecrets = [token, ...(httpOptions.knownSecrets ?? [])];
  let current: HttpJson | null = null;

  async function fetchSnapshot(signal?: AbortSignal): Promise<VendorSnapshot> {
    const http = new HttpJson({ ...httpOptions, vendor: VENDOR, clock, knownSecrets });
    current = http;
    const licenses = await listCpodRecords(http, target, 'api/v1/licenses', CpodLicenseRecord, signal);
    const assignmentRows = await listCpodRecords(
      http,
      target,
      'api/v1/licenses/assignments',
      CpodAssignmentRecord,
      signal,
    );
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

  const progress = () => ({ pages: current?.stats.pages ?? 0, requests: current?.stats.requests ?? 0, retries: current?.stats.retries ?? 0 });
  return { vendor: 'cpod', connectionId, fetchSnapshot, progress };
}
