import { Readable, pipeline } from 'node:stream';
import express, { type RequestHandler, type Response } from 'express';
import { z } from 'zod';

/**
 * Faults a vendor emulator can be told to inject. Counts are "the next N answers"; failPage, slowMs, slowPageMs,
 * endlessPaging and linkLoop stay until cleared. Set with `faults.set(plan)` or `POST /_emulator/faults` (JSON
 * body); clear with `DELETE /_emulator/faults`.
 */
export interface FaultPlan {
  /** The next `count` requests answer 429 with `Retry-After: retryAfterSec` (default 1). */
  status429?: { count: number; retryAfterSec?: number };
  /** The next N requests answer 500. */
  status500?: number;
  /** Every request waits this long before being handled. */
  slowMs?: number;
  /** The next N JSON answers are cut in half (not parseable). */
  malformedJson?: number;
  /** The n-th page (1-based) of any paged listing answers 500, every time it is asked for. */
  failPage?: number;
  /** The next N JSON answers have a shape the vendor's schema forbids. */
  schemaViolation?: number;
  /**
   * Paged listings never end: past the real data every page links on to another, filled with copies of real
   * records under made-up ids (a server whose cursor never runs out).
   */
  endlessPaging?: boolean;
  /**
   * Paging goes round: from page 2 on, the next link leads back to page 2 behind a fresh junk cache-buster
   * (`…&cursor=X&_=1`, `&_=2`, …). Zoho, paged by number, serves page 1 for every page instead.
   */
  linkLoop?: boolean;
  /**
   * The next `count` (default 1) JSON answers are a body of `bytes` bytes, generated as it streams (never held in
   * memory; 400 MB costs the emulator nothing). `declareLength` sends its Content-Length, else it is chunked.
   */
  hugeBody?: { bytes: number; count?: number; declareLength?: boolean };
  /** Every page of a paged listing waits this long before it is answered: a vendor serving one page per N ms. */
  slowPageMs?: number;
  /**
   * The next `count` token requests (Zoho's /oauth/v2/token, Webex's /v1/access_token) answer an error that echoes
   * the request's form body, client_secret and refresh_token included; `status` 400 (default) or 200 (Zoho's
   * refusals are HTTP 200).
   */
  echoRequestBody?: { count: number; status?: 200 | 400 };
  /** Until cleared, every `every`-th request answers 429 with `Retry-After: retryAfterSec` (default 1): a steady rate limit. */
  rate429?: { every: number; retryAfterSec?: number };
  /** Write calls only (Webex PATCH /licenses/users): the next N answer 206 Partial Content without the license. */
  partial206?: number;
  /** Write calls only: the next `count` answer `status` (default 400) with the vendor's error code and description. */
  writeError?: { count: number; status?: number; errorCode?: number; description?: string };
}

export const faultPlanSchema = z.strictObject({
  status429: z.strictObject({ count: z.number().int().min(0), retryAfterSec: z.number().min(0).optional() }).optional(),
  status500: z.number().int().min(0).optional(),
  slowMs: z.number().int().min(0).max(600_000).optional(),
  malformedJson: z.number().int().min(0).optional(),
  failPage: z.number().int().min(1).optional(),
  schemaViolation: z.number().int().min(0).optional(),
  endlessPaging: z.boolean().optional(),
  linkLoop: z.boolean().optional(),
  hugeBody: z
    .strictObject({ bytes: z.number().int().min(0).max(8 * 1024 ** 3), count: z.number().int().min(0).optional(), declareLength: z.boolean().optional() })
    .optional(),
  slowPageMs: z.number().int().min(0).max(600_000).optional(),
  echoRequestBody: z.strictObject({ count: z.number().int().min(0), status: z.union([z.literal(200), z.literal(400)]).optional() }).optional(),
  partial206: z.number().int().min(0).optional(),
  rate429: z.strictObject({ every: z.number().int().min(1), retryAfterSec: z.number().min(0).optional() }).optional(),
  writeError: z
    .strictObject({
      count: z.number().int().min(0),
      status: z.number().int().min(400).max(599).optional(),
      errorCode: z.number().int().optional(),
      description: z.string().max(500).optional(),
    })
    .optional(),
});

/** A write fault taken for one write call (see FaultPlan.partial206 and writeError). */
export type WriteFault = { kind: 'partial' } | { kind: 'error'; status: number; errorCode: number; description: string } | null;

export interface SendJsonOptions {
  /** 1-based page number of a paged listing (for failPage). */
  page?: number;
  status?: number;
  headers?: Record<string, string>;
  /** How to break this answer's shape for schemaViolation (default: a generic wrong shape). */
  violate?: (body: unknown) => unknown;
}

export interface EmulatorFaults {
  /** Remaining faults (counts go down as they are injected). */
  readonly plan: Readonly<FaultPlan>;
  /** Replace the plan. */
  set(plan: FaultPlan): void;
  clear(): void;
  /** Mount first: the `/_emulator/faults` admin route, then slowMs, status429 and status500. */
  readonly middleware: RequestHandler;
  /** Answer JSON (default 200), applying failPage, slowPageMs, hugeBody, malformedJson and schemaViolation. */
  sendJson(res: Response, body: unknown, options?: SendJsonOptions): void;
  /**
   * The page of `rows` at `offset`: with endlessPaging, filled past the real rows with `madeUp(copy source, i)`
   * records (i = the record's position in the endless list).
   */
  pageOf<T>(rows: readonly T[], offset: number, size: number, madeUp: (row: T, i: number) => T): T[];
  /** Whether a listing has a page after the one at `offset`: real rows left, or endlessPaging / linkLoop on. */
  hasNextPage(total: number, offset: number, size: number): boolean;
  /** With linkLoop on, past page 1: the junk cache-buster value for the next link (1, 2, 3, …); else null. */
  loopJunk(offset: number): number | null;
  /** Takes one echoRequestBody fault: the status to answer with, or null when none is planned. */
  takeEcho(): 200 | 400 | null;
  /** Takes one write fault (writeError before partial206), or null when none is planned. */
  takeWriteFault(): WriteFault;
  /** Cancel pending slow answers; call from the emulator's close(). */
  dispose(): void;
}

/** One request as an emulator saw it (for tests and the sandbox). */
export interface EmulatorRequestLogEntry {
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
  /** Arrival time, ms since the epoch (emulator clock). */
  at: number;
}

export interface EmulatorFaultsOptions {
  /** The vendor's error body for an injected status, e.g. Meraki `{errors:[message]}`. */
  errorBody: (status: number, message: string) => unknown;
  /** Extra headers on every injected error (e.g. Webex Trackingid). */
  errorHeaders?: () => Record<string, string>;
}

function defaultViolation(body: unknown): unknown {
  return Array.isArray(body) ? [42, ...(body as unknown[]).slice(1)] : { unexpected: true };
}

/**
 * Streams a `{"padding":"xxx…"}` body of exactly `bytes` bytes (at least its 15 bytes of JSON), one reused 64 KiB
 * chunk at a time with backpressure, so its size costs no memory; a client hanging up ends it.
 */
function streamHugeBody(res: Response, bytes: number, declareLength: boolean): void {
  const head = Buffer.from('{"padding":"');
  const tail = Buffer.from('"}');
  const fill = Buffer.alloc(64 * 1024, 'x');
  let left = Math.max(0, bytes - head.length - tail.length);
  res.status(200).set('content-type', 'application/json; charset=utf-8');
  if (declareLength) res.set('content-length', String(head.length + left + tail.length));
  function* chunks(): Generator<Buffer> {
    yield head;
    while (left > 0) {
      const n = Math.min(left, fill.length);
      left -= n;
      yield n === fill.length ? fill : fill.subarray(0, n);
    }
    yield tail;
  }
  // A client that refuses the body hangs up mid-stream: that premature close is the expected end, not a fault.
  pipeline(Readable.from(chunks(), { objectMode: false }), res, () => undefined);
}

export function createEmulatorFaults(options: EmulatorFaultsOptions): EmulatorFaults {
  let plan: FaultPlan = {};
  let junk = 0;
  const timers = new Set<NodeJS.Timeout>();

  const sendError = (res: Response, status: number, message: string, headers: Record<string, string> = {}): void => {
    res.status(status).set({ ...(options.errorHeaders?.() ?? {}), ...headers }).json(options.errorBody(status, message));
  };

  const take = (key: 'status500' | 'malformedJson' | 'schemaViolation'): boolean => {
    const n = plan[key] ?? 0;
    if (n <= 0) return false;
    plan = { ...plan, [key]: n - 1 };
    return true;
  };

  const admin = express.Router();
  admin.post('/_emulator/faults', express.json(), (req, res) => {
    const parsed = faultPlanSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    faults.set(parsed.data as FaultPlan);
    res.json(plan);
  });
  admin.delete('/_emulator/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  admin.get('/_emulator/faults', (_req, res) => {
    res.json(plan);
  });

  let seen = 0;
  const inject: RequestHandler = (_req, res, next) => {
    const act = (): void => {
      const steady = plan.rate429;
      if (steady !== undefined && ++seen % steady.every === 0) {
        sendError(res, 429, 'Too many requests (injected)', { 'retry-after': String(steady.retryAfterSec ?? 1) });
        return;
      }
      const rl = plan.status429;
      if (rl !== undefined && rl.count > 0) {
        plan = { ...plan, status429: { ...rl, count: rl.count - 1 } };
        sendError(res, 429, 'Too many requests (injected)', { 'retry-after': String(rl.retryAfterSec ?? 1) });
        return;
      }
      if (take('status500')) {
        sendError(res, 500, 'Internal server error (injected)');
        return;
      }
      next();
    };
    const slow = plan.slowMs ?? 0;
    if (slow <= 0) {
      act();
      return;
    }
    const t = setTimeout(() => {
      timers.delete(t);
      act();
    }, slow);
    timers.add(t);
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (req.path === '/_emulator/faults') {
      admin(req, res, next);
      return;
    }
    inject(req, res, next);
  };

  const send = (res: Response, body: unknown, o: SendJsonOptions): void => {
    if (o.page !== undefined && plan.failPage === o.page) {
      sendError(res, 500, `Internal server error (injected on page ${o.page})`);
      return;
    }
    const huge = plan.hugeBody;
    if (huge !== undefined && (huge.count ?? 1) > 0) {
      plan = { ...plan, hugeBody: { ...huge, count: (huge.count ?? 1) - 1 } };
      streamHugeBody(res, huge.bytes, huge.declareLength === true);
      return;
    }
    const shaped = take('schemaViolation') ? (o.violate ?? defaultViolation)(body) : body;
    let text = JSON.stringify(shaped);
    if (take('malformedJson')) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    res
      .status(o.status ?? 200)
      .set({ 'content-type': 'application/json; charset=utf-8', ...(o.headers ?? {}) })
      .send(text);
  };

  const faults: EmulatorFaults = {
    get plan() {
      return plan;
    },
    set(p) {
      plan = {
        ...p,
        ...(p.status429 === undefined ? {} : { status429: { ...p.status429 } }),
        ...(p.hugeBody === undefined ? {} : { hugeBody: { ...p.hugeBody } }),
        ...(p.echoRequestBody === undefined ? {} : { echoRequestBody: { ...p.echoRequestBody } }),
        ...(p.writeError === undefined ? {} : { writeError: { ...p.writeError } }),
      };
      junk = 0;
    },
    clear() {
      plan = {};
      junk = 0;
    },
    middleware,
    sendJson(res, body, o = {}) {
      const slow = o.page === undefined ? 0 : (plan.slowPageMs ?? 0);
      if (slow > 0) {
        const t = setTimeout(() => {
          timers.delete(t);
          if (!res.destroyed) send(res, body, o);
        }, slow);
        timers.add(t);
        return;
      }
      send(res, body, o);
    },
    pageOf(rows, offset, size, madeUp) {
      const page = rows.slice(offset, offset + size);
      if (plan.endlessPaging !== true || rows.length === 0) return page;
      for (let i = offset + page.length; page.length < size; i++) page.push(madeUp(rows[i % rows.length]!, i));
      return page;
    },
    hasNextPage(total, offset, size) {
      return plan.endlessPaging === true || plan.linkLoop === true || offset + size < total;
    },
    loopJunk(offset) {
      return plan.linkLoop === true && offset > 0 ? ++junk : null;
    },
    takeEcho() {
      const e = plan.echoRequestBody;
      if (e === undefined || e.count <= 0) return null;
      plan = { ...plan, echoRequestBody: { ...e, count: e.count - 1 } };
      return e.status ?? 400;
    },
    takeWriteFault() {
      const e = plan.writeError;
      if (e !== undefined && e.count > 0) {
        plan = { ...plan, writeError: { ...e, count: e.count - 1 } };
        const status = e.status ?? 400;
        return { kind: 'error', status, errorCode: e.errorCode ?? status * 1000, description: e.description ?? 'License assignment failed (injected)' };
      }
      const p = plan.partial206 ?? 0;
      if (p > 0) {
        plan = { ...plan, partial206: p - 1 };
        return { kind: 'partial' };
      }
      return null;
    },
    dispose() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
  return faults;
}
