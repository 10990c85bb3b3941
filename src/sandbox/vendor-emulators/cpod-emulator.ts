import express, { type Request, type Response } from 'express';
import { createEmulatorFaults, type EmulatorFaults } from './emulator-faults.js';
import { cpodDemoData, cpodDemoJwt, type CpodDemoData, type CpodDemoLicense } from './demo-data/cpod.js';
import { listenOnLoopback, logRequestsWithAuth, queryOf, type AuthRequestLogEntry } from './emulator-server.js';
import { addCpodAssignmentWriteRoutes, type CpodRevokeForm, type CpodWriteLogEntry } from './cpod-assignment-writes.js';

/**
 * How list answers are paged (cPod's real style is undocumented, vendor-apis.md 4):
 * - 'link': a bare JSON array, next page in `Link: <absolute url>; rel="next"`;
 * - 'envelope': `{ items: [...], next_cursor: "…" | null }`, the cursor sent back as `?cursor=`;
 * - 'data-next-url': `{ data: [...], next: "<absolute url>" | null }`.
 */
export type CpodPagingStyle = 'link' | 'envelope' | 'data-next-url';

export interface CpodEmulatorOptions {
  /** Bearer tokens accepted; default one demo JWT for the demo tenant. */
  tokens?: string[];
  data?: CpodDemoData;
  paging?: CpodPagingStyle;
  /** Records per page when the client sends no `limit` (default 20; `limit` is honoured up to 100). */
  pageSize?: number;
  /** Leave soft-deleted records out of lists (the documented default). Off by default so clients prove they skip them. */
  hideDeleted?: boolean;
  /** Revoke forms served (default all: POST …/{id}/revoke, PATCH status, DELETE). */
  revokeForms?: CpodRevokeForm[];
}

export interface CpodEmulator {
  readonly url: string;
  /** The first accepted bearer token. */
  readonly token: string;
  readonly data: CpodDemoData;
  readonly requests: AuthRequestLogEntry[];
  /** Injected faults (429 + Retry-After, 500, slow, malformed JSON, schema violation, a failing page). */
  readonly faults: EmulatorFaults;
  paging: CpodPagingStyle;
  pageSize: number;
  hideDeleted: boolean;
  /** Revoke forms served; switch to test a client's fallbacks. */
  revokeForms: CpodRevokeForm[];
  /** Every create and effective revoke, in order. */
  readonly writes: CpodWriteLogEntry[];
  close(): Promise<void>;
}

const MAX_LIMIT = 100;
const HELD = new Set([null, 'active', 'assigned']);

function cpodError(res: Response, status: number, error: string, message: string): void {
  res.status(status).json({ error, message });
}

/** A cPod licenses API emulator on 127.0.0.1 (paths from the seed; paging style switchable). */
export async function startCpodEmulator(options: CpodEmulatorOptions = {}): Promise<CpodEmulator> {
  const accepted = options.tokens ?? [cpodDemoJwt()];
  const requests: AuthRequestLogEntry[] = [];
  const faults = createEmulatorFaults({
    errorBody: (status, message) => ({ error: status === 429 ? 'rate_limited' : 'internal_error', message }),
  });
  const emu: { -readonly [K in keyof CpodEmulator]: CpodEmulator[K] } = {
    url: '',
    token: accepted[0] ?? '',
    data: options.data ?? cpodDemoData(),
    requests,
    faults,
    paging: options.paging ?? 'envelope',
    pageSize: options.pageSize ?? 20,
    hideDeleted: options.hideDeleted ?? false,
    revokeForms: options.revokeForms ?? ['action', 'patch', 'delete'],
    writes: [],
    close: (): Promise<void> => Promise.resolve(),
  };

  /** used/available seats are computed from live, held assignments, as the platform does. */
  const served = (l: CpodDemoLicense): CpodDemoLicense => {
    const used = emu.data.assignments.filter(
      (a) => a.license_id === l.id && !a.is_deleted && HELD.has(a.status),
    ).length;
    return {
      ...l,
      tags: [...l.tags],
      used_seats: used,
      available_seats: l.total_seats === null ? null : l.total_seats - used,
    };
  };
  const visible = <T extends { is_deleted: boolean }>(rows: readonly T[]): T[] =>
    rows.filter((r) => !(emu.hideDeleted && r.is_deleted));

  function sendList(req: Request, res: Response, rows: readonly unknown[]): void {
    const q = queryOf(req);
    const limit = q['limit'] === undefined ? emu.pageSize : Number(q['limit']);
    if (!Number.isInteger(limit) || limit < 1)
      return cpodError(res, 400, 'invalid_request', 'limit must be a positive integer');
    const size = Math.min(limit, MAX_LIMIT);
    let offset = 0;
    if (q['cursor'] !== undefined) {
      const m = /^o:(\d+)$/.exec(Buffer.from(q['cursor'], 'base64url').toString('utf8'));
      if (m === null) return cpodError(res, 400, 'invalid_cursor', 'cursor is not valid');
      offset = Number(m[1]);
    }
    const page = faults.pageOf(rows, offset, size, (row, i) => ({ ...(row as object), id: `endless_${i}` }));
    const more = faults.hasNextPage(rows.length, offset, size);
    // linkLoop: past page 1 the next page is page 2 again, with a junk `_` where the next page is a URL.
    const junk = faults.loopJunk(offset);
    const nextOffset = junk === null ? offset + size : size;
    const cursor = more ? Buffer.from(`o:${nextOffset}`).toString('base64url') : null;
    const nextUrl = (): string => {
      const u = new URL(req.originalUrl, emu.url);
      u.searchParams.delete('_');
      u.searchParams.set('cursor', cursor ?? '');
      u.searchParams.set('limit', String(size));
      if (junk !== null) u.searchParams.set('_', String(junk));
      return u.toString();
    };
    const pageNo = Math.floor(offset / size) + 1;
    if (emu.paging === 'link') {
      const headers: Record<string, string> = cursor === null ? {} : { link: `<${nextUrl()}>; rel="next"` };
      return faults.sendJson(res, page, { page: pageNo, headers });
    }
    if (emu.paging === 'envelope')
      return faults.sendJson(res, { items: page, next_cursor: cursor }, { page: pageNo });
    faults.sendJson(res, { data: page, next: cursor === null ? null : nextUrl() }, { page: pageNo });
  }

  const app = express();
  app.use(logRequestsWithAuth(requests));
  app.use(faults.middleware);
  const api = express.Router();
  api.use((req, res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    if (m === null || !accepted.includes(m[1] ?? ''))
      return cpodError(res, 401, 'unauthorized', 'missing or invalid bearer token');
    next();
  });
  api.get('/licenses/assignments', (req, res) =>
    sendList(
      req,
      res,
      visible(emu.data.assignments).map((a) => ({ ...a })),
    ),
  );
  api.get('/licenses/assignments/:id', (req, res) => {
    const a = emu.data.assignments.find((x) => x.id === req.params.id && !x.is_deleted);
    if (a === undefined) return cpodError(res, 404, 'not_found', 'assignment not found');
    faults.sendJson(res, { ...a });
  });
  addCpodAssignmentWriteRoutes(api, {
    data: () => emu.data,
    faults,
    writes: emu.writes,
    revokeForms: () => emu.revokeForms,
    error: cpodError,
    held: HELD,
  });
  api.get('/licenses', (req, res) => sendList(req, res, visible(emu.data.licenses).map(served)));
  api.get('/licenses/:id', (req, res) => {
    const l = emu.data.licenses.find((x) => x.id === req.params.id && !x.is_deleted);
    if (l === undefined) return cpodError(res, 404, 'not_found', 'license not found');
    faults.sendJson(res, served(l));
  });
  app.use('/api/v1', api);
  app.use((_req, res) => cpodError(res, 404, 'not_found', 'no such route'));

  const listening = await listenOnLoopback(app, faults);
  emu.url = listening.origin;
  emu.close = listening.close;
  return emu;
}
