import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { DataDirLock } from './lowdb/data-dir-lock.js';
import { openLowdbSeatStore } from './lowdb/lowdb-seat-store.js';
import { describeDatabaseUrl, isPostgresUrl } from './postgres/database-url.js';
import { openPostgresSeatStore } from './postgres/open-postgres-seat-store.js';
import type { SeatStore } from './seat-store.js';

export interface OpenSeatStoreOptions {
  /** DATABASE_URL; null (or not a postgres URL) = the lowdb files in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** Who owns DATA_DIR while open (lowdb only), shown to a refused second opener. */
  role?: string;
  logger?: Logger;
  clock?: Clock;
}

export interface OpenedSeatStore {
  store: SeatStore;
  kind: 'postgres' | 'lowdb';
  /** Safe to log: the database without password, or the ledger file. */
  where: string;
  /**
   * The DATA_DIR lock (lowdb), whose socket serves local operations such as the sync CLI; null with
   * PostgreSQL, where writes of every process are linearised by the database and no one owns a directory.
   */
  lock: DataDirLock | null;
}

/** The adapter is chosen explicitly by configuration: PostgreSQL when DATABASE_URL is set, else lowdb. */
export async function openSeatStore(options: OpenSeatStoreOptions): Promise<OpenedSeatStore> {
  const common = { ...(options.logger ? { logger: options.logger } : {}), ...(options.clock ? { clock: options.clock } : {}) };
  if (options.databaseUrl !== null && isPostgresUrl(options.databaseUrl)) {
    const store = await openPostgresSeatStore({ url: options.databaseUrl, ...common });
    return { store, kind: 'postgres', where: describeDatabaseUrl(options.databaseUrl), lock: null };
  }
  const store = await openLowdbSeatStore({ dir: options.dataDir, ...(options.role ? { role: options.role } : {}), ...common });
  return { store, kind: 'lowdb', where: store.file, lock: store.lock };
}
