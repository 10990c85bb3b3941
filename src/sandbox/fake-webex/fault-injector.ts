import type { RequestHandler } from 'express';

/** Which requests a fault applies to: method (any case) and a path under /v1 (prefix string or RegExp). */
export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
}

interface Fault {
  remaining: number;
  /** null: the connection is dropped without an answer (a network error for the client). */
  status: number | null;
  retryAfterSec: number | null;
  match: FaultMatch;
}

export interface FaultControls {
  /** The next `n` matching requests answer 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext(n: number, retryAfterSec: number, match?: FaultMatch): void;
  /**
   * The next `n` matching requests answer `status` with a Webex-style error body (and its tracking id), with
   * `Retry-After: retryAfterSec` when given (Webex sends it on 423 and 503 too).
   */
  failNext(n: number, status: number, match?: FaultMatch, retryAfterSec?: number): void;
  /** The next `n` matching requests get no answer: the connection is closed (a network error, like a reset). */
  dropNext(n: number, match?: FaultMatch): void;
  /** Delay every /v1 response by `ms` (0 turns it off). */
  slow(ms: number): void;
  /** Drop every pending fault and delay. */
  clear(): void;
}

export interface FaultInjector {
  controls: FaultControls;
  middleware: RequestHandler;
}

function matches(m: FaultMatch, method: string, path: string): boolean {
  if (m.method !== undefined && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.path === undefined) return true;
  return typeof m.path === 'string' ? path.startsWith(m.path) : m.path.test(path);
}

/**
 * Express middleware (mounted on /v1) answering injected 429/5xx, dropping connections and applying an
 * artificial delay: Webex on a bad day. Faults apply per route (method and path) for the next N calls, so a test
 * can rate-limit `GET /messages/{id}` twice and leave every other call alone.
 */
export function createFaultInjector(trackingId: () => string): FaultInjector {
  let faults: Fault[] = [];
  let delayMs = 0;
  const controls: FaultControls = {
    rateLimitNext: (n, retryAfterSec, match = {}) => {
      faults.push({ remaining: n, status: 429, retryAfterSec, match });
    },
    failNext: (n, status, match = {}, retryAfterSec) => {
      faults.push({ remaining: n, status, retryAfterSec: retryAfterSec ?? null, match });
    },
    dropNext: (n, match = {}) => {
      faults.push({ remaining: n, status: null, retryAfterSec: null, match });
    },
    slow: (ms) => {
      delayMs = ms;
    },
    clear: () => {
      faults = [];
      delayMs = 0;
    },
  };
  const middleware: RequestHandler = (req, res, next) => {
    const proceed = (): void => {
      const fault = faults.find((f) => f.remaining > 0 && matches(f.match, req.method, req.path));
      if (!fault) {
        next();
        return;
      }
      fault.remaining -= 1;
      faults = faults.filter((f) => f.remaining > 0);
      if (fault.status === null) {
        req.socket.destroy();
        return;
      }
      const id = trackingId();
      if (fault.retryAfterSec !== null) res.setHeader('Retry-After', String(fault.retryAfterSec));
      const message = fault.status === 429 ? 'Too Many Requests' : `Injected failure ${fault.status}`;
      res.status(fault.status).json({ message, errors: [{ description: message }], trackingId: id });
    };
    if (delayMs > 0) setTimeout(proceed, delayMs);
    else proceed();
  };
  return { controls, middleware };
}
