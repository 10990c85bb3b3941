import { z } from 'zod';
import { VendorApiError } from '../../../errors.js';
import { HttpJson } from '../../http/http-json.js';
import type { HttpJsonOptions } from '../../http/http-json-types.js';
import type { SeatWrite, SeatWriteOutcome, SeatWriter } from '../seat-writer.js';
import { writeFailure } from '../vendor-failure.js';
import { mapCpodAssignment } from './cpod-mapping.js';
import { CpodAssignmentRecord } from './cpod-schemas.js';
import { listCpodRecords } from './list-cpod-records.js';

export interface CpodAssignmentWriterOptions extends Omit<HttpJsonOptions, 'vendor'> {
  baseUrl: string;
  token: string;
  pageSize?: number;
}

const Written = z.looseObject({ id: z.string().optional(), status: z.string().nullish() });
const PATH = 'api/v1/licenses/assignments';

/**
 * Creates and revokes cPod LicenseAssignments (seed: ops create and revoke, no update). Reads first: lists the
 * assignments (asking the server to filter by `license_id` and `assignee_id`, filtering again here since the filter
 * syntax is undocumented) and skips a create when the assignee already holds the license, a revoke when nothing is
 * held. Create is `POST /api/v1/licenses/assignments`.
 *
 * Revoke's HTTP form is undocumented. Chosen: `POST /api/v1/licenses/assignments/{id}/revoke` (a custom-method
 * action, the shape of the SDK's `assignments.revoke(id)` and the only one that keeps the record, as "revoke, no
 * update, no delete" implies). A server answering that with 404 or 405 (no such route) is tried with
 * `PATCH …/{id} {"status":"revoked"}`, then `DELETE …/{id}` (a soft delete). A 404 on all three means the
 * assignment is gone: done.
 *
 * `expires_at` is sent null: the bot revokes time-bound seats itself when they end (see createBody).
 *
 * Writes are sent once (maxAttempts 1): create is not idempotent at cPod, so a 429 or 5xx becomes a `retry` outcome
 * and the provisioning worker tries again later, reading first, which is what keeps it to one assignment.
 */
export function createCpodAssignmentWriter(options: CpodAssignmentWriterOptions): SeatWriter {
  const { baseUrl, token, pageSize = 100, ...http } = options;
  const base = new URL(baseUrl.replace(/\/+$/, '') + '/');
  const knownSecrets = [token, ...(http.knownSecrets ?? [])];
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json', 'content-type': 'application/json' };
  const url = (path: string): string => new URL(path, base).toString();
  const listPath = (w: SeatWrite): string =>
    `${PATH}?${new URLSearchParams({ license_id: w.licenseId, assignee_id: w.assignee.id }).toString()}`;
  const createBody = (w: SeatWrite): Record<string, unknown> => ({
    license_id: w.licenseId,
    assignee_id: w.assignee.id,
    assignee_type: 'Person',
    ...(w.assignee.email === null ? {} : { assignee_email: w.assignee.email }),
    // Never the seat's end: cPod assignments cannot be updated (no update op), so an Extend could not move a
    // cPod-side end and cPod would end the seat early. The bot ends time-bound seats itself (a revoke on expiry).
    expires_at: null,
  });

  return {
    vendor: 'cpod',
    describe(w) {
      const read = `GET ${url(listPath(w))}`;
      return w.op === 'add'
        ? [read, `POST ${url(PATH)} ${JSON.stringify(createBody(w))}`]
        : [read, `POST ${url(`${PATH}/{id}/revoke`)} (then PATCH {"status":"revoked"}, then DELETE, on 404/405)`];
    },
    async write(w, signal): Promise<SeatWriteOutcome> {
      const reader = new HttpJson({ ...http, vendor: 'cpod', knownSecrets });
      const writer = new HttpJson({ ...http, vendor: 'cpod', knownSecrets, maxAttempts: 1 });
      const sig = signal === undefined ? {} : { signal };
      try {
        const rows = await listCpodRecords(reader, { base, token, pageSize }, listPath(w), CpodAssignmentRecord, signal);
        const email = w.assignee.email?.toLowerCase() ?? null;
        const held = rows.filter(
          (r) =>
            r.license_id === w.licenseId &&
            (r.assignee_id === w.assignee.id || (email !== null && r.assignee_email?.toLowerCase() === email)) &&
            mapCpodAssignment(r) !== null,
        );
        if (w.op === 'add') {
          if (held.length > 0) return { kind: 'done', noop: true, detail: `cPod already has assignment ${held[0]?.id ?? ''}` };
          const res = await writer.request({ url: url(PATH), method: 'POST', headers, body: JSON.stringify(createBody(w)), schema: Written, emptyAs: {}, ...sig });
          const status = res.data.status?.toLowerCase() ?? 'active';
          if (status === 'pending' || status === 'invited') return { kind: 'pending_acceptance', detail: `assignment ${res.data.id ?? ''} is ${status}` };
          return { kind: 'done', noop: false, detail: `assignment ${res.data.id ?? ''} created` };
        }
        if (held.length === 0) return { kind: 'done', noop: true, detail: 'cPod holds no assignment of the license for the user' };
        for (const a of held) await revoke(writer, a.id, sig);
        return { kind: 'done', noop: false, detail: `revoked ${held.map((a) => a.id).join(', ')}` };
      } catch (err) {
        return writeFailure(err, 'cPod', 'a tenant JWT allowed to create and revoke license assignments');
      }
    },
  };

  async function revoke(writer: HttpJson, id: string, sig: { signal?: AbortSignal }): Promise<void> {
    const one = `${PATH}/${encodeURIComponent(id)}`;
    const attempts: { method: string; path: string; body?: string }[] = [
      { method: 'POST', path: `${one}/revoke` },
      { method: 'PATCH', path: one, body: JSON.stringify({ status: 'revoked' }) },
      { method: 'DELETE', path: one },
    ];
    for (const [i, a] of attempts.entries()) {
      try {
        await writer.request({ url: url(a.path), method: a.method, headers, ...(a.body === undefined ? {} : { body: a.body }), schema: Written, emptyAs: {}, ...sig });
        return;
      } catch (err) {
        const noRoute = err instanceof VendorApiError && (err.status === 404 || err.status === 405);
        if (!noRoute) throw err;
        // The last form: 404 means the assignment is gone (done); 405 means no form of revoke is served.
        if (i === attempts.length - 1) {
          if (err.status === 404) return;
          throw err;
        }
      }
    }
  }
}
