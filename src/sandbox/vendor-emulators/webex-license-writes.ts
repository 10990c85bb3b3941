import { createHash } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { webexPersonId, type WebexDataset, type WebexEmulatorUser } from './demo-data/webex.js';
import type { EmulatorFaults } from './emulator-faults.js';

/** One accepted write, for tests and the benchmark (what the vendor really did). */
export interface WebexWriteLogEntry {
  email: string;
  personId: string;
  licenseId: string;
  operation: 'add' | 'remove';
  /** false when the license was already so (an add of a held license, a remove of an absent one). */
  changed: boolean;
}

export interface WebexWriteOptions {
  data: WebexDataset;
  faults: EmulatorFaults;
  /** Email domains of the org; others are outside it (their licenses stay pending until accepted). Default: the internal users' domains. */
  orgDomains?: readonly string[];
  writes: WebexWriteLogEntry[];
  fail(res: Response, status: number, message: string, extra?: Record<string, unknown>): void;
}

const LicenseRequest = z.object({ id: z.string().min(1), operation: z.enum(['add', 'remove']).optional(), properties: z.record(z.string(), z.unknown()).optional() });
const PatchUserLicenses = z.object({
  email: z.string().optional(),
  personId: z.string().optional(),
  orgId: z.string().optional(),
  licenses: z.array(LicenseRequest).optional(),
  siteUrls: z.array(z.unknown()).optional(),
});

/**
 * `GET /people?email=`, `GET /people/{personId}` (with `licenses`) and `PATCH /licenses/users`, as the official
 * webex-admin spec describes them: 200 with the user's licenses, 206 when some were not assigned (the fault
 * `partial206`), `pendingLicenses` for people outside the org, 400 LicenseError for an unknown license. The
 * directory is the license holders plus anyone in an org domain the first time they are named (as a directory sync
 * would have added them). Holdings live in the dataset, so the license reads (and the bot's sync) see every write.
 */
export function addWebexLicenseWriteRoutes(router: express.Router, o: WebexWriteOptions): void {
  const orgDomains = new Set(
    o.orgDomains ?? o.data.licenses.flatMap((l) => l.users.filter((u) => u.type !== 'EXTERNAL' && u.email !== undefined).map((u) => domainOf(u.email ?? ''))),
  );
  /** Pending (not yet accepted) licenses per person id. */
  const pending = new Map<string, Set<string>>();
  const created = new Map<string, WebexEmulatorUser>();

  const findById = (id: string): WebexEmulatorUser | undefined => {
    for (const l of o.data.licenses) for (const u of l.users) if (u.id === id) return u;
    return [...created.values()].find((u) => u.id === id);
  };
  const findByEmail = (email: string): WebexEmulatorUser | undefined => {
    const e = email.toLowerCase();
    for (const l of o.data.licenses) for (const u of l.users) if (u.email?.toLowerCase() === e) return u;
    return created.get(e);
  };
  const ensure = (email: string): WebexEmulatorUser => {
    const known = findByEmail(email);
    if (known) return known;
    const e = email.toLowerCase();
    const uuid = createHash('sha256').update(e).digest('hex');
    const user: WebexEmulatorUser = {
      id: webexPersonId(`${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-4${uuid.slice(13, 16)}-8${uuid.slice(17, 20)}-${uuid.slice(20, 32)}`),
      type: orgDomains.has(domainOf(e)) ? 'INTERNAL' : 'EXTERNAL',
      displayName: e.split('@')[0] ?? e,
      email: e,
    };
    created.set(e, user);
    return user;
  };
  const licensesOf = (personId: string): string[] => o.data.licenses.filter((l) => l.users.some((u) => u.id === personId)).map((l) => l.id);
  const personJson = (u: WebexEmulatorUser): Record<string, unknown> => ({
    id: u.id,
    emails: u.email === undefined ? [] : [u.email],
    displayName: u.displayName,
    orgId: o.data.orgId,
    type: 'person',
    licenses: licensesOf(u.id),
  });

  router.get('/people', (req, res) => {
    const email = typeof req.query['email'] === 'string' ? req.query['email'] : undefined;
    if (email === undefined) return o.fail(res, 400, 'Specify email or id.');
    const u = findByEmail(email);
    o.faults.sendJson(res, { items: u === undefined ? [] : [personJson(u)] });
  });

  router.get('/people/:personId', (req: Request<{ personId: string }>, res) => {
    const u = findById(req.params.personId);
    if (u === undefined) return o.fail(res, 404, 'The requested resource could not be found.');
    o.faults.sendJson(res, personJson(u));
  });

  router.patch('/licenses/users', express.json(), (req, res) => {
    const parsed = PatchUserLicenses.safeParse(req.body);
    if (!parsed.success) return o.fail(res, 400, 'Invalid request body.');
    const body = parsed.data;
    if (body.orgId !== undefined && body.orgId !== o.data.orgId) return o.fail(res, 403, 'Not authorized to access this organization.');
    const user = body.personId !== undefined ? findById(body.personId) : body.email !== undefined ? ensure(body.email) : undefined;
    if (user === undefined) return o.fail(res, 404, 'User not found.');
    const requested = body.licenses ?? [];
    const unknown = requested.filter((r) => !o.data.licenses.some((l) => l.id === r.id));
    if (unknown.length > 0) {
      return o.fail(res, 400, 'License not recognized', { errors: [{ errorCode: 400000, description: `License not recognized ${unknown.map((u) => u.id).join(',')}` }] });
    }
    const fault = o.faults.takeWriteFault();
    if (fault?.kind === 'error') return o.fail(res, fault.status, fault.description, { errors: [{ errorCode: fault.errorCode, description: fault.description }] });
    const external = user.type === 'EXTERNAL';
    const waiting = pending.get(user.id) ?? new Set<string>();
    let partial = false;
    for (const r of requested) {
      const license = o.data.licenses.find((l) => l.id === r.id)!;
      const holds = license.users.some((u) => u.id === user.id);
      const op = r.operation ?? 'add';
      if (op === 'add') {
        if (fault?.kind === 'partial') {
          partial = true;
          continue;
        }
        if (external) {
          waiting.add(license.id);
        } else if (!holds) {
          license.users.push({ ...user });
          license.consumedUnits = (license.consumedUnits ?? 0) + 1;
          license.consumedByUsers = (license.consumedByUsers ?? 0) + 1;
        }
        o.writes.push({ email: user.email ?? '', personId: user.id, licenseId: license.id, operation: 'add', changed: !holds && !external });
      } else {
        waiting.delete(license.id);
        if (holds) {
          license.users = license.users.filter((u) => u.id !== user.id);
          license.consumedUnits = Math.max(0, (license.consumedUnits ?? 1) - 1);
          license.consumedByUsers = Math.max(0, (license.consumedByUsers ?? 1) - 1);
        }
        o.writes.push({ email: user.email ?? '', personId: user.id, licenseId: license.id, operation: 'remove', changed: holds });
      }
    }
    pending.set(user.id, waiting);
    const answer = {
      orgId: o.data.orgId,
      personId: user.id,
      email: user.email,
      licenses: licensesOf(user.id),
      ...(waiting.size > 0 ? { pendingLicenses: [...waiting] } : {}),
    };
    o.faults.sendJson(res, answer, { status: partial ? 206 : 200 });
  });
}

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
