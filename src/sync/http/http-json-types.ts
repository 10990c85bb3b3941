import type { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';

/** The options, requests, responses and counters of HttpJson, apart so its helpers (exchange, decode-response) need not import it. */
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
  /** Waits between attempts; should end early (resolve or reject) when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
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
  /** Pages per listing walk (paginate() or startWalk()), VENDOR_MAX_PAGES; default 2000. */
  maxPages?: number;
  /** Bytes of one response body, read as a stream and refused past this (VENDOR_MAX_RESPONSE_MB); default 32 MiB. */
  maxResponseBytes?: number;
  /** The connection's credentials (token, API key, client secret, refresh token): scrubbed from every error and log. */
  knownSecrets?: readonly string[];
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
