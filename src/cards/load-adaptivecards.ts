import { createRequire } from 'node:module';

/**
 * The `adaptivecards` package in Node ESM. Its entry (`lib/adaptivecards.js`) uses extensionless ESM imports
 * and fails with ERR_MODULE_NOT_FOUND, so load the UMD bundle in `dist/` (parsing and validating need no
 * DOM). Its declarations drag the package's `.ts` sources into our program (which then fail under
 * verbatimModuleSyntax), so the few members we use are typed here instead.
 */
export interface ValidationEventRecord {
  event: number;
  message: string;
}

export interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    hostConfig: unknown;
    parse(json: unknown, context?: unknown): void;
    validateProperties(): { validationEvents: ValidationEventRecord[] };
  };
  HostConfig: new (json: unknown) => unknown;
  SerializationContext: new (version: unknown) => { eventCount: number; getEventAt(i: number): ValidationEventRecord };
  Versions: { v1_3: unknown };
  ValidationEvent: Record<number, string>;
}

let loaded: AdaptiveCardsModule | undefined;

export function loadAdaptiveCards(): AdaptiveCardsModule {
  loaded ??= createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;
  return loaded;
}
