import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { CPOD_DEMO_TENANT, type CpodDemoAssignment, type CpodDemoData } from './demo-data/cpod.js';
import type { EmulatorFaults } from './emulator-faults.js';

/** The forms of revoke a server may serve (the seed leaves the HTTP form open). */
export type CpodRevokeForm = 'action' | 'patch' | 'delete';

export interface CpodWriteLogEntry {
  op: 'create' | 'revoke';
  form?: CpodRevokeForm;
  assignmentId: string;
  licenseId: string;
  assigneeId: string;
  assigneeEmail: string | null;
}

export interface CpodWriteOptions {
  data: () => CpodDemoData;
  faults: EmulatorFaults;
  writes: CpodWriteLogEntry[];
  /** Which revoke forms are served; the others answer 404/405 like a server without them. Default all. */
  revokeForms: () => readonly CpodRevokeForm[];
  error(res: Response, status: number, error: string, message: string): void;
  held: ReadonlySet<string | null>;
}

const Create = z.object({
  license_id: z.string().min(1),
  assignee_id: z.string().min(1),
  assignee_type: z.string().min(1),
  assignee_email: z.string().nullish(),
  assigned_by_id: z.string().nullish(),
  expires_at: z.string().nullish(),
});

/**
 * LicenseAssignment create and revoke (seed: ops list, get, create, revoke). Create refuses a full license (409
 * no_seats_available); revoke is served as `POST /licenses/assignments/{id}/revoke`, `PATCH …/{id}
 * {"status":"revoked"}` and `DELETE …/{id}` (soft delete), each switchable off to test clients' fallbacks.
 */
export function addCpodAssignmentWriteRoutes(api: express.Router, o: CpodWriteOptions): void {
  const writeFault = (res: Response): boolean => {
    const f = o.faults.takeWriteFault();
    if (f?.kind !== 'error') return false;
    o.error(res, f.status, `error_${f.errorCode}`, f.description);
    return true;
  };

  api.post('/licenses/assignments', express.json(), (req, res) => {
    const parsed = Create.safeParse(req.body);
    if (!parsed.success) return o.error(res, 422, 'validation_error', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (writeFault(res)) return;
    const b = parsed.data;
    const data = o.data();
    const license = data.licenses.find((l) => l.id === b.license_id && !l.is_deleted);
    if (license === undefined) return o.error(res, 404, 'not_found', 'license not found');
    const used = data.assignments.filter((a) => a.license_id === license.id && !a.is_deleted && o.held.has(a.status)).length;
    if (license.total_seats !== null && used >= license.total_seats) return o.error(res, 409, 'no_seats_available', `license ${license.id} has no seat left (${used} of ${license.total_seats})`);
    const now = new Date().toISOString();
    const record: CpodDemoAssignment = {
      id: `lca_${randomBytes(13).toString('hex').toUpperCase()}`,
      tenant_id: CPOD_DEMO_TENANT,
      created_at: now,
      updated_at: now,
      created_by: null,
      source: 'edm',
      source_type: 'api',
      is_deleted: false,
      deleted_at: null,
      deleted_by: null,
      schema_version: 2,
      license_id: license.id,
      assignee_id: b.assignee_id,
      assignee_type: b.assignee_type,
      asset_id: null,
      assigned_at: now,
      assigned_by_id: b.assigned_by_id ?? null,
      expires_at: b.expires_at ?? null,
      status: 'active',
      last_used_at: null,
      assignee_email: b.assignee_email ?? null,
    };
    data.assignments.push(record);
    o.writes.push({ op: 'create', assignmentId: record.id, licenseId: license.id, assigneeId: record.assignee_id, assigneeEmail: record.assignee_email ?? null });
    o.faults.sendJson(res, record, { status: 201 });
  });

  const revoke = (form: CpodRevokeForm) => (req: Request<{ id: string }>, res: Response) => {
    if (!o.revokeForms().includes(form)) {
      return form === 'action' ? o.error(res, 404, 'not_found', 'no such route') : o.error(res, 405, 'method_not_allowed', `${req.method} is not allowed here`);
    }
    if (writeFault(res)) return;
    const a = o.data().assignments.find((x) => x.id === req.params.id && !x.is_deleted);
    if (a === undefined) return o.error(res, 404, 'not_found', 'assignment not found');
    if (form === 'patch') {
      const status: unknown = (req.body as Record<string, unknown> | undefined)?.['status'];
      if (status !== 'revoked') return o.error(res, 422, 'validation_error', 'only status "revoked" may be set');
    }
    const now = new Date().toISOString();
    const wasHeld = o.held.has(a.status);
    a.status = 'revoked';
    a.updated_at = now;
    if (form === 'delete') {
      a.is_deleted = true;
      a.deleted_at = now;
    }
    if (wasHeld) o.writes.push({ op: 'revoke', form, assignmentId: a.id, licenseId: a.license_id, assigneeId: a.assignee_id, assigneeEmail: a.assignee_email ?? null });
    if (form === 'delete') return void res.status(204).end();
    o.faults.sendJson(res, { ...a });
  };
  api.post('/licenses/assignments/:id/revoke', revoke('action'));
  api.patch('/licenses/assignments/:id', express.json(), revoke('patch'));
  api.delete('/licenses/assignments/:id', revoke('delete'));
}
