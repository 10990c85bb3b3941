// The cluster tests' view of the shared ledger: seeding pools and digest spaces through the PostgreSQL store's
// own API (what an instance would commit), and reading back what is committed, from a fresh store each time.
import type { Change, LicensePool, SeatAssignment } from '../../src/domain/ledger.js';
import { openSeatStore } from '../../src/store/open-seat-store.js';
import { makePool } from './make-pool.js';

/** The ledger in `databaseUrl`, through the adapter the bot itself picks for a DATABASE_URL (migrating it). */
async function openPostgresLedger(databaseUrl: string): Promise<Awaited<ReturnType<typeof openSeatStore>>> {
  const opened = await openSeatStore({ databaseUrl, dataDir: '' });
  if (opened.kind !== 'postgres') throw new Error(`expected the PostgreSQL store for ${databaseUrl}, got ${opened.kind}`);
  return opened;
}

/** A pool of `seats` seats that grants at once while seats are free (no admin needed). */
export function autoPool(externalId: string, productName: string, seats: number): LicensePool {
  return makePool({
    externalId,
    productName,
    totalSeats: seats,
    vendorAvailableSeats: seats,
    policy: { approval: 'auto', minFreeSeats: 0 },
  });
}

/** Commits `changes` in one mutation (migrating an empty database first). */
export async function commitChanges(databaseUrl: string, changes: readonly Change[]): Promise<void> {
  const { store } = await openPostgresLedger(databaseUrl);
  try {
    await store.update(() => ({ changes, result: null }));
  } finally {
    await store.close();
  }
}

export const digestSpace = (roomId: string, title: string): Change => ({
  type: 'space.put',
  space: { roomId, digest: true, title, updatedAt: new Date().toISOString(), updatedBy: { kind: 'system', name: 'schedule' } },
});

/** Every seat of `poolId` as committed in the database now. */
export async function committedSeats(databaseUrl: string, poolId: string): Promise<SeatAssignment[]> {
  const { store } = await openPostgresLedger(databaseUrl);
  try {
    return Object.values(store.read().data.assignments).filter((a) => a.poolId === poolId);
  } finally {
    await store.close();
  }
}
