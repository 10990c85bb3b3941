import type { Logger } from '../../log.js';
import { describeRequest } from './describe-request.js';
import type { HttpJsonOptions, HttpJsonRequest, HttpJsonStats } from './http-json-types.js';
import { isTrustedTarget } from './is-trusted-target.js';
import { DEFAULT_BUDGETS } from '../default-budgets.js';
import { readCappedBody } from './read-capped-body.js';
import { scrubSecrets } from './scrub-secrets.js';

export type Exchange =
  | { kind: 'answer'; status: number; headers: Headers; text: string; url: string }
  /** The body passed maxResponseBytes (or its Content-Length said it would); it was not read further. */
  | { kind: 'too_large'; status: number; bytes: number; declared: boolean; url: string }
  | { kind: 'timeout' }
  | { kind: 'network'; cause: unknown };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** What an exchange reads and counts: the HttpJson options, its stats and its vendor-bound logger. */
export interface ExchangeContext {
  readonly options: HttpJsonOptions;
  readonly stats: HttpJsonStats;
  readonly log: Logger | undefined;
}

/** One attempt: the request plus any redirects it answers with, each hop under the throttle and a timeout. */
export async function exchange(
  ctx: ExchangeContext,
  req: HttpJsonRequest<unknown>,
  method: string,
  secrets: readonly string[],
  fail: (code: string, message: string, extra?: { status?: number | null }) => never,
): Promise<Exchange> {
  let url = req.url;
  let hopMethod = method;
  let body = req.body;
  const maxRedirects = ctx.options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const ex = await fetchHop(ctx, url, hopMethod, req.headers, body, req.signal);
    if (ex.kind !== 'answer' || !REDIRECT_STATUSES.has(ex.status)) return ex;
    const location = ex.headers.get('location');
    if (location === null) return ex;
    const where = describeRequest(hopMethod, url);
    if (hop >= maxRedirects) fail('VENDOR_REDIRECT', `${where}: more than ${maxRedirects} redirects`, { status: ex.status });
    let target: URL;
    try {
      target = new URL(location, url);
    } catch {
      return fail('VENDOR_REDIRECT', `${where}: redirect to an invalid location`, { status: ex.status });
    }
    if (!isTrustedTarget(new URL(url), target, ctx.options.allowedHostSuffixes)) {
      fail('VENDOR_REDIRECT', `${where}: refused redirect to untrusted ${scrubSecrets(target.origin, secrets)}`, { status: ex.status });
    }
    if (ex.status === 303 || ((ex.status === 301 || ex.status === 302) && hopMethod === 'POST')) {
      hopMethod = 'GET';
      body = undefined;
    }
    ctx.log?.debug({ from: where, to: describeRequest(hopMethod, target.toString()), status: ex.status }, 'following redirect');
    url = target.toString();
  }
}

/** One HTTP hop, under the throttle and the per-exchange timeout: an answer, a timeout or a network failure. */
async function fetchHop(
  ctx: ExchangeContext,
  url: string,
  method: string,
  headers: Record<string, string> | undefined,
  body: string | URLSearchParams | undefined,
  signal: AbortSignal | undefined,
): Promise<Exchange> {
  const run = async (): Promise<Exchange> => {
    ctx.stats.requests++;
    const timeout = AbortSignal.timeout(ctx.options.timeoutMs ?? 15_000);
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    try {
      const init: RequestInit = { method, redirect: 'manual', signal: combined };
      if (headers !== undefined) init.headers = headers;
      if (body !== undefined) init.body = body;
      const res = await ctx.options.fetch(url, init);
      const read = await readCappedBody(res, ctx.options.maxResponseBytes ?? DEFAULT_BUDGETS.vendorMaxResponseBytes);
      if (read.kind === 'too_large') return { kind: 'too_large', status: res.status, bytes: read.bytes, declared: read.declared, url };
      return { kind: 'answer', status: res.status, headers: res.headers, text: read.text, url };
    } catch (err) {
      if (timeout.aborted && signal?.aborted !== true) return { kind: 'timeout' };
      return { kind: 'network', cause: err };
    }
  };
  return ctx.options.throttle === undefined ? run() : ctx.options.throttle(run);
}
