import type Framework from 'webex-node-bot-framework';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { frameworkEnv } from './framework-env.js';
import type { HydratedContent } from './hydrated-content.js';
import { isRecord } from './is-record.js';
import { patchWebexSdk } from './patch-webex-sdk.js';
import { retrySdkReads, type RetrySdkReadsOptions } from './retry-sdk-reads.js';
import { sdkErrorSummary } from './sdk-error-summary.js';
import { serveHydratedContent } from './serve-hydrated-content.js';

/** The `webex` SDK module as the framework loads it: `init` creates the SDK instance inside start(). */
export interface WebexModule {
  init: (attrs: Record<string, unknown>) => unknown;
}

export interface StartFrameworkOptions {
  /** Webex REST base the SDK is pointed at. */
  apiUrl: string;
  /** U2C discovery base; default: the SDK's for webexapis.com, else `<apiUrl origin>/u2c/api/v1`. */
  u2cUrl: string | undefined;
  /** People-lookup batch wait (default 5 ms). */
  peopleBatcherWaitMs: number | undefined;
  /** What the event intake read; the SDK's reads of it are answered from here. */
  hydrated: HydratedContent;
  /** Retry policy, sleep and jitter for the SDK reads the framework makes on the event path. */
  retry: Omit<RetrySdkReadsOptions, 'log'>;
  log: Logger;
}

/**
 * The Webex services the bot calls, all pinned to apiUrl as SDK *overrides*: the SDK looks a service up in the
 * order override > postauth > signin > preauth > discovery, so a U2C catalog that lists another `hydra` host
 * would beat a discovery entry (webex-platform.md 7.8). Every plugin the framework uses (people, messages,
 * rooms, memberships, webhooks, attachmentActions) calls `hydra`.
 */
const PINNED_SERVICES = ['hydra'] as const;

/**
 * Runs framework.start() with the SDK pointed at apiUrl (every service the bot uses pinned as an override), the
 * guards of patchWebexSdk installed, the event-path reads retried and served from the intake's reads.
 * Throws AppError WEBEX_START_FAILED when the framework does not start.
 */
export async function startFramework(
  framework: Framework,
  webexModule: WebexModule,
  options: StartFrameworkOptions,
): Promise<void> {
  const log = options.log;
  // Point the SDK at apiUrl and install the guards (people batcher, webhook listing, retried and hydrated reads)
  // on the instance the framework creates synchronously inside start().
  const u2cUrl = options.u2cUrl ?? frameworkEnv(options.apiUrl).U2C_SERVICE_URL;
  const originalInit = webexModule.init;
  webexModule.init = function patchedInit(this: unknown, attrs: Record<string, unknown>): unknown {
    const config = isRecord(attrs.config) ? attrs.config : {};
    attrs.config = {
      ...config,
      hydra: options.apiUrl,
      hydraServiceUrl: options.apiUrl,
      services: {
        discovery: { hydra: options.apiUrl, ...(u2cUrl === undefined ? {} : { u2c: u2cUrl }) },
        override: Object.fromEntries(PINNED_SERVICES.map((service) => [service, options.apiUrl])),
      },
      device: { preDiscoveryServices: { hydra: options.apiUrl, hydraServiceUrl: options.apiUrl } },
      logger: { level: 'silent' },
    };
    const webex = originalInit.call(this, attrs);
    patchWebexSdk(webex, { logger: log, peopleBatcherWaitMs: options.peopleBatcherWaitMs ?? 5 });
    retrySdkReads(webex, { ...options.retry, log });
    serveHydratedContent(webex, options.hydrated);
    return webex;
  };
  let started: Promise<boolean>;
  try {
    started = framework.start();
  } finally {
    webexModule.init = originalInit;
  }
  try {
    await started;
  } catch (err) {
    throw new AppError(
      'WEBEX_START_FAILED',
      `Webex bot framework did not start: ${sdkErrorSummary(err).message}`,
      { cause: err },
    );
  }
}
