import { Module, createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * The plugins webex/dist/webex.js registers that the framework uses in webhook mode, in the same order:
 * - plugin-authorization: credentials from the bot token (its node half also loads internal-plugin-device);
 * - internal-plugin-device: loaded explicitly as webex.js does ("we're relying on preDiscoveryServices and the
 *   url interceptor"); webex-core's services and server-error interceptor read `internal.device` / `metrics`;
 * - the public plugins the framework calls: attachmentActions, logger, messages, memberships, people, rooms,
 *   webhooks (without the websocket-only packages below).
 * Left out, none of which the framework uses or which register interceptors: internal-plugin-calendar,
 * -presence, -support, plugin-device-manager, -meetings, -teams, -team-memberships. With the websocket-only
 * packages left out too, loading takes ~400 ms instead of ~760 ms on the 2-core bench machine.
 */
const PLUGINS = [
  '@webex/plugin-authorization',
  '@webex/internal-plugin-device',
  '@webex/plugin-attachment-actions',
  '@webex/plugin-logger',
  '@webex/plugin-messages',
  '@webex/plugin-memberships',
  '@webex/plugin-people',
  '@webex/plugin-rooms',
  '@webex/plugin-webhooks',
] as const;

/**
 * Required by messages, memberships, rooms and attachment-actions (side effects only: they register internal
 * plugins) for `listen()`, which opens the Mercury websocket, and `listWithReadStatus` (conversation); the
 * framework calls neither in webhook mode. With them come encryption (KMS: pkijs, node-jose), user and feature:
 * ~200 ms of start-up. They are seeded as empty modules, so those internal plugins are never registered.
 */
const WEBSOCKET_ONLY_PACKAGES = [
  '@webex/internal-plugin-conversation',
  '@webex/internal-plugin-mercury',
] as const;
const PLUGINS_REQUIRING_THEM = [
  '@webex/plugin-attachment-actions',
  '@webex/plugin-messages',
  '@webex/plugin-memberships',
  '@webex/plugin-rooms',
] as const;

/** Plugins whose `listen()` opens the Mercury websocket; webhook mode never calls it. */
const WEBSOCKET_LISTENERS = ['messages', 'memberships', 'rooms', 'attachmentActions'] as const;

export const SLIM_WEBEX_WEBSOCKET_ERROR =
  'websocket mode is not supported: license-bot runs webex-node-bot-framework in webhook mode only (set a webhook URL)';

/** The `webex` module's export: a class with `init(attrs)`, as webex/dist/webex.js builds it. */
export interface SlimWebexSdk {
  new (attrs?: Record<string, unknown>): unknown;
  init(attrs?: Record<string, unknown>): unknown;
}

interface WebexCoreClass {
  extend(props: Record<string, unknown>): SlimWebexSdk;
}

/** Resolves like `require('webex')` inside webex-node-bot-framework (its lib/framework.js). */
function frameworkRequire(): NodeJS.Require {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('webex-node-bot-framework'));
}

let built: { path: string; sdk: SlimWebexSdk } | undefined;

/**
 * Builds the same `Webex` class as webex/dist/webex.js (same WebexCore, version and `init` config merge), with
 * only the plugins above registered. Each package is resolved from the `webex` package's own location, so the
 * very copies webex.js would load are used. Memoised.
 */
export function buildSlimWebexSdk(): { path: string; sdk: SlimWebexSdk } {
  if (built !== undefined) return built;
  const path = frameworkRequire().resolve('webex');
  const fromWebex = createRequire(path);
  // Not loaded: @babel/polyfill, which webex/dist/index.js installs first. The SDK's code takes its helpers from
  // @babel/runtime-corejs2 and uses no global it adds (regeneratorRuntime, core); on Node 20 it only swaps
  // built-ins for core-js versions (String#trim, parseInt, parseFloat, Function#toString...) for the whole
  // process, and costs ~80 ms of start-up.
  for (const plugin of PLUGINS_REQUIRING_THEM) {
    const fromPlugin = createRequire(fromWebex.resolve(plugin));
    for (const pkg of WEBSOCKET_ONLY_PACKAGES) seedModule(fromPlugin.resolve(pkg), {});
  }
  for (const plugin of PLUGINS) fromWebex(plugin);
  const merge = fromWebex('lodash/merge') as (...objects: unknown[]) => Record<string, unknown>;
  const WebexCore = (fromWebex('@webex/webex-core') as { default: WebexCoreClass }).default;
  // As webex.js: the module object of ./config, merged as is.
  const config: unknown = fromWebex('./config');
  const { version } = fromWebex('../package.json') as { version: string };

  const Webex = WebexCore.extend({ webex: true, version });
  Webex.init = function init(attrs: Record<string, unknown> = {}): unknown {
    attrs.config = merge({}, config, attrs.config);
    const webex = new Webex(attrs);
    failWebsocketMode(webex);
    return webex;
  };
  built = { path, sdk: Webex };
  return built;
}

/** The framework falls back to websockets without a webhook URL: make `listen()` reject with the reason. */
function failWebsocketMode(webex: unknown): void {
  if (typeof webex !== 'object' || webex === null) return;
  for (const name of WEBSOCKET_LISTENERS) {
    const plugin = (webex as Record<string, unknown>)[name];
    if (typeof plugin === 'object' && plugin !== null) {
      (plugin as { listen: () => Promise<never> }).listen = () =>
        Promise.reject(new Error(SLIM_WEBEX_WEBSOCKET_ERROR));
    }
  }
}

/**
 * Makes `require('webex')` inside webex-node-bot-framework return the slim SDK, by seeding Node's require cache
 * for the path it resolves to. Must run before the framework module is first required (its lib/framework.js
 * requires 'webex' at load). If 'webex' is already loaded (something required the full SDK first), nothing is
 * changed and false is returned. To undo: stop calling this (framework-adapter.ts); the full SDK loads again.
 */
export function useSlimWebexSdk(): boolean {
  const { path, sdk } = buildSlimWebexSdk();
  return seedModule(path, sdk) === sdk;
}

/** Puts a loaded module with `exports` in Node's require cache at `path`, unless one is there; returns its exports. */
function seedModule(path: string, exports: unknown): unknown {
  const cache = createRequire(import.meta.url).cache;
  const cached = cache[path];
  if (cached !== undefined) return cached.exports;
  const mod = new Module(path);
  mod.filename = path;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    dirname(path),
  );
  mod.exports = exports;
  mod.loaded = true;
  cache[path] = mod;
  return exports;
}
