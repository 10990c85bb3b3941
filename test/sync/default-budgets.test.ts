import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_BUDGETS } from '../../src/sync/default-budgets.js';

describe('DEFAULT_BUDGETS', () => {
  it("equals the configuration's defaults, so clients and runner built without budgets behave as configured", () => {
    expect(DEFAULT_BUDGETS).toEqual(loadConfig({}).budgets);
    expect(DEFAULT_BUDGETS).toEqual({ syncTimeoutMs: 30 * 60_000, vendorMaxPages: 2000, vendorMaxResponseBytes: 32 * 1024 * 1024 });
  });
});
