import { z } from 'zod';
import type { Logger } from '../log.js';
import { createHttpTransport, type Transport, type TransportResponse } from './http-transport.js';

/** Answers retried after their `Retry-After` (or backoff when absent). */
const RETRY_AFTER_STATUSES = new Set([423, 429, 503]);

export interface WebexCallOptions {
  apiUrl: string;
  token: string;
  /** Tests inject one; default: node:http(s) with keep-alive agents (cheaper per call than the global fetch). */
  fetch?: typeof fetch;
  log: Logger;
  /** Waits between attempts; inject a fake in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** 0 <= random() < 1, for backoff jitter. */
  random?: () => number;
  /** Attempts per call for 5xx/network errors, first one included (default 5). */
  maxAttempts?: number;
  /** Rate-limit answers (429/423/503) tolerated per call, on top of maxAttempts (default 8). */
  maxRateLimitRetries?: number;
  /** First backoff ceiling for 5xx/network errors (default 500 ms), doubled per retry up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured; longer asks are capped (default 60 s). */
  maxRetryAfterMs?: number;
  /** Per-attempt timeout (default 15 s). */
  timeoutMs?: number;
}

export interface WebexRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Under apiUrl, e.g. `/messages`. */
  path: string;
  /** JSON-serialised as is. */
  body?: unknown;
  /** Names the call in the retry log lines, e.g. 'message post'. */
  what: string;
  /** Logged with each retry, e.g. { target: 'room:…' }. */
  context: Record<string, unknown>;
}

/** How a call ended after its retries. Network failures have status null and the last error as `cause`. */
export type WebexAnswer =
  | { ok: true; status: number; body: unknown; trackingId: string | null }
  | {
      ok: false;
      status: number | null;
      trackingId: string | null;
      webexMessage: string | null;
      failures: number;
      rateLimited: number;
      cause: unknown;
    };

export type WebexCall = (request: WebexRequest) => Promise<WebexAnswer>;

const errorBodySchema = z
  .object({ message: z.string().optional(), trackingId: z.string().optional() })
  .loose();

function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\s*\d+(\.\d+)?\s*$/.test(header)) return null;
  return Math.round(Number(header) * 1000);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The injected fetch as a transport: the per-attempt timeout becomes an abort signal. */
const fetchTransport =
  (f: typeof fetch): Transport =>
  (url, { timeoutMs, ...init }) =>
    f(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One Webex REST call with the send policy: 429/423/503 wait their `Retry-After` (own budget), 5xx and network
 * errors retry with bounded jittered backoff, other answers return at once. Never throws: the caller decides
 * what a failure means (and logs it with the tracking id).
 */
export function createWebexCall(options: WebexCallOptions): WebexCall {
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const maxRateLimitRetries = Math.max(0, options.maxRateLimitRetries ?? 8);
  const baseBackoff = options.baseBackoffMs ?? 500;
  const maxBackoff = options.maxBackoffMs ?? 10_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = options.apiUrl.replace(/\/+$/, '');
  const log = options.log;
  const send = options.fetch === undefined ? createHttpTransport() : fetchTransport(options.fetch);

  const backoff = (retry: number): number => {
    const ceiling = Math.min(maxBackoff, baseBackoff * 2 ** (retry - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * random());
  };

  return async function call(request) {
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    /** Failed attempts (5xx, network) and rate-limit answers so far: separate budgets. */
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      let res: TransportResponse;
      try {
        res = await send(`${base}${request.path}`, {
          method: request.method,
          headers,
          ...(body === undefined ? {} : { body }),
          timeoutMs,
        });
      } catch (err) {
        failures += 1;
        if (failures >= maxAttempts) {
          return {
            ok: false,
            status: null,
            trackingId: null,
            webexMessage: null,
            failures,
            rateLimited,
            cause: err,
          };
        }
        const wait = backoff(failures);
        log.warn(
          { err, ...request.context, failures, waitMs: wait },
          `${request.what} failed (network), retrying`,
        );
        await sleep(wait);
        continue;
      }
      const text = await res.text().catch(() => '');
      const headerTrackingId = res.headers.get('trackingid');
      if (res.ok) return { ok: true, status: res.status, body: safeJson(text), trackingId: headerTrackingId };
      const parsedError = errorBodySchema.safeParse(safeJson(text));
      const trackingId = (parsedError.success ? parsedError.data.trackingId : undefined) ?? headerTrackingId;
      // Rate limits are Webex asking us to wait, not errors: they have their own budget.
      const isRateLimit = RETRY_AFTER_STATUSES.has(res.status) && rateLimited < maxRateLimitRetries;
      if (isRateLimit) rateLimited += 1;
      else failures += 1;
      const retryable = isRateLimit || res.status >= 500;
      if (!retryable || failures >= maxAttempts) {
        const webexMessage = (parsedError.success ? parsedError.data.message : undefined) ?? null;
        return {
          ok: false,
          status: res.status,
          trackingId,
          webexMessage,
          failures,
          rateLimited,
          cause: null,
        };
      }
      const asked = RETRY_AFTER_STATUSES.has(res.status)
        ? retryAfterMs(res.headers.get('retry-after'))
        : null;
      const wait =
        asked === null
          ? backoff(Math.max(1, isRateLimit ? rateLimited : failures))
          : Math.min(asked, maxRetryAfter);
      log.warn(
        { ...request.context, status: res.status, trackingId, failures, rateLimited, waitMs: wait },
        `${request.what} answered with a retryable status, retrying`,
      );
      await sleep(wait);
    }
  };
}
