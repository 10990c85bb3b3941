import { systemClock, type Clock } from '../../clock.js';
import { VendorApiError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { decodeResponse } from './decode-response.js';
import { DEFAULT_BUDGETS } from '../default-budgets.js';
import { describeRequest } from './describe-request.js';
import { exchange, type ExchangeContext } from './exchange.js';
import type { HttpJsonOptions, HttpJsonRequest, HttpJsonResponse, HttpJsonStats } from './http-json-types.js';
import { isTrustedTarget } from './is-trusted-target.js';
import { listedRecords } from './listed-records.js';
import { networkReason } from './network-reason.js';
import { PagingGuard } from './paging-guard.js';
import { parseVendorError, type VendorErrorDetails } from './parse-vendor-error.js';
import { backoffDelayMs, isRetryableStatus, rateLimitDelayMs, RETRY_AFTER_STATUSES } from './retry-policy.js';
import { scrubSecrets } from './scrub-secrets.js';
import { secretsOf } from './secrets-of.js';

/** `32 MiB`, `512 KiB` or `900 bytes`, for budget messages. */
function describeBytes(n: number): string {
  const round = (x: number): string => String(Math.round(x * 10) / 10);
  if (n >= 1024 * 1024) return `${round(n / (1024 * 1024))} MiB`;
  if (n >= 1024) return `${round(n / 1024)} KiB`;
  return `${n} bytes`;
}

/** A timer that an abort cuts short (and then no longer holds the process open). */
function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Small JSON-over-HTTP helper shared by the vendor clients: timeouts, retries, redirects, Link paging. */
export class HttpJson {
  readonly stats: HttpJsonStats = { requests: 0, retries: 0, pages: 0, rateLimited: 0 };
  private readonly o: HttpJsonOptions;
  private readonly log: Logger | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly clock: Clock;
  private readonly io: ExchangeContext;

  constructor(options: HttpJsonOptions) {
    this.o = options;
    this.log = options.logger?.child({ vendor: options.vendor });
    this.sleep = options.sleep ?? defaultSleep;
    this.clock = options.clock ?? systemClock;
    this.io = { options, stats: this.stats, log: this.log };
  }

  async request<T>(req: HttpJsonRequest<T>): Promise<HttpJsonResponse<T>> {
    const method = (req.method ?? 'GET').toUpperCase();
    const where = describeRequest(method, req.url);
    const secrets = secretsOf(req, this.o.knownSecrets);
    const clean = (text: string): string => scrubSecrets(text, secrets);
    const fail = (code: string, message: string, extra: { status?: number | null; details?: VendorErrorDetails; cause?: unknown } = {}): never => {
      throw new VendorApiError(this.o.vendor, code, clean(message), {
        status: extra.status ?? null,
        vendorCode: extra.details?.vendorCode ?? null,
        trackingId: extra.details?.trackingId ?? null,
        cause: extra.cause,
      });
    };
    const maxAttempts = Math.max(1, this.o.maxAttempts ?? 4);
    for (let attempt = 1; ; attempt++) {
      const ex = await exchange(this.io, req, method, secrets, fail);
      if (req.signal?.aborted === true) fail('VENDOR_ABORTED', `${where} aborted`);
      let delay: number;
      let why: Record<string, unknown>;
      if (ex.kind === 'too_large') {
        const cap = this.o.maxResponseBytes ?? DEFAULT_BUDGETS.vendorMaxResponseBytes;
        const seen = ex.declared ? `declared a ${describeBytes(ex.bytes)} body` : `sent more than ${describeBytes(cap)}`;
        return fail(
          'VENDOR_TOO_LARGE',
          `${where} answered HTTP ${ex.status} and ${seen}, over the ${describeBytes(cap)} cap per response (VENDOR_MAX_RESPONSE_MB); refused without reading further`,
          { status: ex.status },
        );
      }
      if (ex.kind === 'answer' && ex.status >= 200 && ex.status < 300) {
        const res = decodeResponse(req, ex, where, fail);
        this.stats.pages++;
        return res;
      }
      if (ex.kind === 'answer') {
        const details = parseVendorError(ex.text, ex.headers, clean);
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
      if (req.signal?.aborted !== true) await this.sleep(delay, req.signal);
      if (req.signal?.aborted === true) fail('VENDOR_ABORTED', `${where} aborted`);
    }
  }

  /**
   * The page budget and loop check for a listing walked by hand (cPod cursors, Zoho page numbers); paginate()
   * uses one per walk. `where` names the listing: `GET https://host/path`.
   */
  startWalk(where: string): PagingGuard {
    return new PagingGuard({ vendor: this.o.vendor, maxPages: this.o.maxPages ?? DEFAULT_BUDGETS.vendorMaxPages, where });
  }

  /**
   * Follows `Link` rel=next (quoted or not, absolute or relative) until none; all pages or a throw. Stops with
   * VENDOR_TOO_MANY_PAGES past maxPages and VENDOR_PAGING_LOOP on a page already read (see PagingGuard); a
   * repeated page is never yielded. A next link is followed, with the request's headers (its credentials), only
   * to the same origin or to a host on `allowedHostSuffixes` (the vendor's own cloud, e.g. behind a proxy base);
   * any other host is VENDOR_BAD_LINK and gets no request at all. `send` makes each page's request (default
   * request()): a client whose credential can change mid-walk (a refreshed token) passes its own.
   */
  async *paginate<T>(
    first: HttpJsonRequest<T>,
    send: (req: HttpJsonRequest<T>) => Promise<HttpJsonResponse<T>> = (req) => this.request(req),
  ): AsyncGenerator<HttpJsonResponse<T>> {
    const walk = this.startWalk(describeRequest((first.method ?? 'GET').toUpperCase(), first.url));
    let req = first;
    for (;;) {
      const res = await send(req);
      walk.read(req.url, listedRecords(res.data));
      yield res;
      if (res.next === null) return;
      walk.follow(res.next);
      const where = describeRequest(req.method ?? 'GET', req.url);
      if (!isTrustedTarget(new URL(req.url), new URL(res.next), this.o.allowedHostSuffixes)) {
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
}
