import express, { type RequestHandler, type Response } from 'express';
import { z } from 'zod';

/**
 * Faults a vendor emulator can be told to inject. Counts are "the next N answers"; failPage and slowMs stay until
 * cleared. Set with `faults.set(plan)` or `POST /_emulator/faults` (JSON body); clear with `DELETE /_emulator/faults`.
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
}

export const faultPlanSchema = z.strictObject({
  status429: z.strictObject({ count: z.number().int().min(0), retryAfterSec: z.number().min(0).optional() }).optional(),
  status500: z.number().int().min(0).optional(),
  slowMs: z.number().int().min(0).max(600_000).optional(),
  malformedJson: z.number().int().min(0).optional(),
  failPage: z.number().int().min(1).optional(),
  schemaViolation: z.number().int().min(0).optional(),
});

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
  /** Answer JSON (default 200), applying failPage, malformedJson and schemaViolation. */
  sendJson(res: Response, body: unknown, options?: SendJsonOptions): void;
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

export function createEmulatorFaults(options: EmulatorFaultsOptions): EmulatorFaults {
  let plan: FaultPlan = {};
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

  const inject: RequestHandler = (_req, res, next) => {
    const act = (): void => {
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

  const faults: EmulatorFaults = {
    get plan() {
      return plan;
    },
    set(p) {
      plan = { ...p, ...(p.status429 === undefined ? {} : { status429: { ...p.status429 } }) };
    },
    clear() {
      plan = {};
    },
    middleware,
    sendJson(res, body, o = {}) {
      if (o.page !== undefined && plan.failPage === o.page) {
        sendError(res, 500, `Internal server error (injected on page ${o.page})`);
        return;
      }
      const shaped = take('schemaViolation') ? (o.violate ?? defaultViolation)(body) : body;
      let text = JSON.stringify(shaped);
      if (take('malformedJson')) text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      res
        .status(o.status ?? 200)
        .set({ 'content-type': 'application/json; charset=utf-8', ...(o.headers ?? {}) })
        .send(text);
    },
    dispose() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
  return faults;
}
