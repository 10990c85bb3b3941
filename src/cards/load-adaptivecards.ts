import { createRequire } from 'node:module';
import type * as AdaptiveCards from 'adaptivecards';

/**
 * The `adaptivecards` package in Node ESM. Its entry (`lib/adaptivecards.js`) uses extensionless ESM imports
 * and fails with ERR_MODULE_NOT_FOUND, so load the UMD bundle in `dist/` (parsing and validating need no
 * DOM) and take the types from the package's declarations.
 */
export type AdaptiveCardsModule = typeof AdaptiveCards;

let loaded: AdaptiveCardsModule | undefined;

export function loadAdaptiveCards(): AdaptiveCardsModule {
  loaded ??= createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
  return loaded;
}
