import { describe, expect, it } from 'vitest';
import { createMemorySeatStore } from '../../src/store/memory-seat-store.js';
import { seedLedger } from './ledger-fixtures.js';
import { describeSeatStoreContract } from './seat-store-contract.js';

describeSeatStoreContract('memory store', () =>
  Promise.resolve({ store: createMemorySeatStore(), cleanup: () => Promise.resolve() }),
);

describe('createMemorySeatStore', () => {
  it('starts from a copy of the initial ledger and never changes the caller object', async () => {
    const initial = seedLedger(3);
    const snapshot = structuredClone(initial);
    const store = createMemorySeatStore(initial);
    expect(store.read().assignment('seat-2')?.status).toBe('active');
    await store.update(() => ({
      changes: [{ type: 'assignment.put', assignment: { ...initial.assignments['seat-2']!, status: 'released' } }],
      result: null,
    }));
    expect(store.read().assignment('seat-2')?.status).toBe('released');
    expect(initial).toEqual(snapshot);
  });
});
