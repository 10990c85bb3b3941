import type { z } from 'zod';
import { systemClock, type Clock } from '../clock.js';
import { VendorApiError } from '../errors.js';
import type { Logger } from '../log.js';
import { parseLinkNext } from './parse-link-next.js';
import { parseVendorError, type VendorErrorDetails } from './parse-vendor-error.js';
import { backoffDelayMs, isRetryableStatus, rateLimitDelayMs, RETRY_AFTER_STATUSES } from './retry-policy.js';

export { parseLinkNext };

export interface HttpJsonOptions {
  /** 'webex' | 'meraki' | 'zoho_crm' | 'cpod', used in errors and logs. */
  vendor: string;
  fetch: typeof globalThis.fetch;
  /** Per HTTP exchange (request + body), default 15000. */
  timeoutMs?: number;
  /** Total attempts including the first, default 4. */
  maxAttempts?: number;
  /** Wait when 423/429/503 carries no usable Retry-After, default 2000. */
  retryAfterFallbackMs?: number;
  /** Jittered exponential backoff on other 5xx, timeouts and network errors: defaults 500 / 8000. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Runs each HTTP exchange, e.g. under a p-throttle limit (Meraki). */
  throttle?: <T>(fn: () => Promise<T>) => Promise<T>;
  logger?: Logger;
  /** Cap on an honoured Retry-After, default 60000. */
  maxRetryAfterMs?: number;
  /** Reads "now" for HTTP-date Retry-After values; default systemClock. */
  clock?: Clock;
  /**
   * Hosts (suffix match, e.g. '.meraki.com' or an exact host) that redirects and next links may move to across
   * origins, keeping the request headers. Other cross-origin targets are refused. Same origin is always allowed.
   */
  allowedHostSuffixes?: readonly string[];
  /** Redirect hops per request, default 5. */
  maxRedirects?: number;
  /** Pages per paginate() walk before giving up (loop guard), default 100000. */
  maxPages?: number;
}

export interface HttpJsonRequest<T> {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
  /** The response is validated; a violation is a VendorApiError VENDOR_SCHEMA. */
  schema: z.ZodType<T>;
  /** Value for 204 / an empty body; without it an empty body is VENDOR_BAD_JSON. */
  emptyAs?: T;
  /** Cancels the request (and any wait between retries): VendorApiError VENDOR_ABORTED. */
  signal?: AbortSignal;
}

export interface HttpJsonResponse<T> {
  status: number;
  data: T;
  headers: Headers;
  /** Absolute URL of the `Link` rel=next target, or null. */
  next: string | null;
}

export interface HttpJsonStats {
  requests: number;
  retries: number;
  pages: number;
  /** Answers seen with status 429 (retried or not). */
  rateLimited: number;
}

type Exchange =
  | { kind: 'answer'; status: number; headers: Headers; text: string; url: string }
  | { kind: 'timeout' }
  | { kind: 'network'; cause: unknown };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SENSITIVE_NAME = /auth|token|key|secret|password|signature|cookie|code/i;

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `GET https://host/path`: never the query string, which may carry secrets. */
function describe(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.origin}${u.pathname}`;
  } catch {
    return method;
  }
}

/** Values that must never show up in an error message or a log line. */
function secretsOf(req: { url: string; headers?: Record<string, string> }): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (!SENSITIVE_NAME.test(name)) continue;
    out.push(value);
    const parts = value.split(/\s+/);
    if (parts.length > 1) out.push(parts.slice(1).join(' '));
  }
  try {
    for (const [name, value] of new URL(req.url).searchParams) if (SENSITIVE_NAME.test(name)) out.push(value);
  } catch {
    // not a URL: nothing to collect; fetch reports it as a network error
  }
  return out.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
}

function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

/** Small JSON-over-HTTP helper shared by the vendor clients: timeouts, retries, redirects, Link paging. */
export class HttpJson {
  readonly stats: HttpJsonStats = { requests: 0, retries: 0, pages: 0, rateLimited: 0 };
  private readonly o: HttpJsonOptions;
  private readonly log: Logger | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: Clock;

  constructor(options: HttpJsonOptions) {
    this.o = options;
    this.log = options.logger?.child({ vendor: options.vendor });
    this.sleep = options.sleep ?? defaultSleep;
    this.clock = options.clock ?? systemClock;
  }

  async request<T>(req: HttpJsonRequest<T>): Promise<HttpJsonResponse<T>> {
    const method = (req.method ?? 'GET').toUpperCase();
    const where = describe(method, req.url);
    const secrets = secretsOf(req);
    const fail = (code: string, message: string, extra: { status?: number | null; details?: VendorErrorDetails; cause?: unknown } = {}): never => {
      throw new VendorApiError(this.o.vendor, code, scrub(message, secrets), {
        status: extra.status ?? null,
        vendorCode: extra.details?.vendorCode ?? null,
        trackingId: extra.details?.trackingId ?? null,
        cause: extra.cause,
      });
    };
    const maxAttempts = Math.max(1, this.o.maxAttempts ?? 4);
    for (let attempt = 1; ; attempt++) {
      const ex = await this.exchange(req, method, secrets, fail);
      if (req.signal?.aborted === true) fail('VENDOR_ABORTED', `${where} aborted`);
      let delay: number;
      let why: Record<string, unknown>;
      if (ex.kind === 'answer' && ex.status >= 200 && ex.status < 300) {
        return this.accept(req, ex, where, fail);
      }
      if (ex.kind === 'answer') {
        const details = parseVendorError(ex.text, ex.headers);
        if (ex.status === 429) this.stats.rateLimited++;
        if (!isRetryableStatus(ex.status) || attempt >= maxAttempts) {
          const said = details.message === null ? '' : `: ${details.message}`;
          const track = details.trackingId === null ? '' : ` (trackingId ${details.trackingId})`;
          const tail = attempt > 1 ? ` after ${attempt} attempts` : '';
          const code =
            ex.status === 401 || ex.status === 403 ? 'VENDOR_AUTH' : ex.status === 429 ? 'VENDOR_RATE_LIMITED' : 'VENDOR_HTTP';
          return fail(code, `${where} answered HTTP ${ex.status}${tail}${said}${track}`, { status: ex.status, details });
        }
        delay = RETRY_AFTER_STATUSES.has(ex.status)
          ? rateLimitDelayMs(ex.headers.get('retry-after'), this.clock.now().getTime(), {
              fallbackMs: this.o.retryAfterFallbackMs ?? 2000,
              maxMs: this.o.maxRetryAfterMs ?? 60_000,
            })
          : this.backoff(attempt);
        why = { status: ex.status, trackingId: details.trackingId, vendorCode: details.vendorCode };
      } else {
        if (attempt >= maxAttempts) {
          return ex.kind === 'timeout'
            ? fail('VENDOR_TIMEOUT', `${where} timed out after ${this.o.timeoutMs ?? 15_000} ms (${attempt} attempts)`)
            : fail('VENDOR_NETWORK', `${where} failed: ${networkReason(ex.cause)} (${attempt} attempts)`, { cause: ex.cause });
        }
        delay = this.backoff(attempt);
        why = { reason: ex.kind };
      }
      this.stats.retries++;
      this.log?.warn({ ...why, where, attempt, delayMs: delay }, 'vendor request failed; retrying');
      await this.sleep(delay);
      if (req.signal?.aborted === true) fail('VENDOR_ABORTED', `${where} aborted`);
    }
  }

  /** Follows `Link` rel=next (quoted or not, absolute or relative) until none; all pages or a throw. */
  async *paginate<T>(first: HttpJsonRequest<T>): AsyncGenerator<HttpJsonResponse<T>> {
    const seen = new Set<string>();
    const maxPages = this.o.maxPages ?? 100_000;
    let req = first;
    for (let page = 1; ; page++) {
      seen.add(req.url);
      const res = await this.request(req);
      yield res;
      if (res.next === null) return;
      const where = describe(req.method ?? 'GET', req.url);
      if (seen.has(res.next)) throw new VendorApiError(this.o.vendor, 'VENDOR_BAD_LINK', `${where}: Link rel=next points back to a page already read`);
      if (page >= maxPages) throw new VendorApiError(this.o.vendor, 'VENDOR_BAD_LINK', `${where}: more than ${maxPages} pages`);
      if (!this.trusted(new URL(req.url), new URL(res.next))) {
        throw new VendorApiError(this.o.vendor, 'VENDOR_BAD_LINK', `${where}: Link rel=next leads to an untrusted host ${new URL(res.next).host}`);
      }
      req = { ...first, url: res.next };
    }
  }

  private backoff(attempt: number): number {
    return backoffDelayMs(attempt, {
      baseMs: this.o.baseBackoffMs ?? 500,
      maxMs: this.o.maxBackoffMs ?? 8000,
      random: this.o.random ?? Math.random,
    });
  }

  private accept<T>(
    req: HttpJsonRequest<T>,
    ex: { status: number; headers: Headers; text: string; url: string },
    where: string,
    fail: (code: string, message: string, extra?: { status?: number | null; cause?: unknown }) => never,
  ): HttpJsonResponse<T> {
    let next: string | null;
    try {
      next = parseLinkNext(ex.headers.get('link'), ex.url);
    } catch (err) {
      return fail('VENDOR_BAD_LINK', `${where} sent a Link header whose next URL cannot be parsed`, { status: ex.status, cause: err });
    }
    let data: T;
    if (ex.status === 204 || ex.text.trim() === '') {
      if (!('emptyAs' in req)) return fail('VENDOR_BAD_JSON', `${where} answered HTTP ${ex.status} with an empty body`, { status: ex.status });
      data = req.emptyAs;
    } else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(ex.text);
      } catch (err) {
        return fail('VENDOR_BAD_JSON', `${where} answered HTTP ${ex.status} with a body that is not JSON`, { status: ex.status, cause: err });
      }
      const result = req.schema.safeParse(parsed);
      if (!result.success) {
        const issue = result.error.issues[0];
        const path = issue === undefined || issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
        return fail('VENDOR_SCHEMA', `${where} answered with an unexpected shape at ${path}: ${issue?.message ?? 'invalid'}`, {
          status: ex.status,
        });
      }
      data = result.data;
    }
    this.stats.pages++;
    return { status: ex.status, data, headers: ex.headers, next };
  }

  /** One attempt: the request plus any redirects it answers with, each hop under the throttle and a timeout. */
  private async exchange(
    req: HttpJsonRequest<unknown>,
    method: string,
    secrets: readonly string[],
    fail: (code: string, message: string, extra?: { status?: number | null }) => never,
  ): Promise<Exchange> {
    let url = req.url;
    let hopMethod = method;
    let body = req.body;
    const maxRedirects = this.o.maxRedirects ?? 5;
    for (let hop = 0; ; hop++) {
      const ex = await this.hop(url, hopMethod, req.headers, body, req.signal);
      if (ex.kind !== 'answer' || !REDIRECT_STATUSES.has(ex.status)) return ex;
      const location = ex.headers.get('location');
      if (location === null) return ex;
      const where = describe(hopMethod, url);
      if (hop >= maxRedirects) fail('VENDOR_REDIRECT', `${where}: more than ${maxRedirects} redirects`, { status: ex.status });
      let target: URL;
      try {
        target = new URL(location, url);
      } catch {
        return fail('VENDOR_REDIRECT', `${where}: redirect to an invalid location`, { status: ex.status });
      }
      if (!this.trusted(new URL(url), target)) {
        fail('VENDOR_REDIRECT', `${where}: refused redirect to untrusted ${scrub(target.origin, secrets)}`, { status: ex.status });
      }
      if (ex.status === 303 || ((ex.status === 301 || ex.status === 302) && hopMethod === 'POST')) {
        hopMethod = 'GET';
        body = undefined;
      }
      this.log?.debug({ from: where, to: describe(hopMethod, target.toString()), status: ex.status }, 'following redirect');
      url = target.toString();
    }
  }

  private async hop(
    url: string,
    method: string,
    headers: Record<string, string> | undefined,
    body: string | URLSearchParams | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Exchange> {
    const run = async (): Promise<Exchange> => {
      this.stats.requests++;
      const timeout = AbortSignal.timeout(this.o.timeoutMs ?? 15_000);
      const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
      try {
        const init: RequestInit = { method, redirect: 'manual', signal: combined };
        if (headers !== undefined) init.headers = headers;
        if (body !== undefined) init.body = body;
        const res = await this.o.fetch(url, init);
        const text = await res.text();
        return { kind: 'answer', status: res.status, headers: res.headers, text, url };
      } catch (err) {
        if (timeout.aborted && signal?.aborted !== true) return { kind: 'timeout' };
        return { kind: 'network', cause: err };
      }
    };
    return this.o.throttle === undefined ? run() : this.o.throttle(run);
  }

  /** Same origin always; another origin only on an allowed host and never from https down to http. */
  private trusted(from: URL, to: URL): boolean {
    if (to.protocol !== 'https:' && to.protocol !== 'http:') return false;
    if (from.protocol === 'https:' && to.protocol === 'http:') return false;
    if (from.origin === to.origin) return true;
    const host = to.hostname.toLowerCase();
    return (this.o.allowedHostSuffixes ?? []).some((suffix) => {
      const s = suffix.toLowerCase();
      return s.startsWith('.') ? host.endsWith(s) : host === s;
    });
  }
}

function networkReason(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? cause.cause : null;
    const code = inner !== null && 'code' in inner && typeof inner.code === 'string' ? inner.code : null;
    return code ?? inner?.message ?? cause.message;
  }
  return 'network error';
}
