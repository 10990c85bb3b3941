/** Who holds a lease, as last seen in the database (for /healthz). */
export interface LeaderView {
  /** The instance id holding the lease. */
  readonly holder: string;
  /** When the lease runs out on the database's clock, unless renewed; null = never (a sole instance). */
  readonly expiresAt: Date | null;
  /** Grows each time the lease changes hands (or is taken again after it ran out). */
  readonly fencing: number;
  /** This instance leads right now (`isLeader()`), not merely "the row names me". */
  readonly self: boolean;
}

/** The database as the lease last saw it: null when there is none (a single lowdb instance). */
export interface DatabaseContact {
  readonly ok: boolean;
  /** When the lease last talked to the database (successfully or not); null before the first try. */
  readonly checkedAt: Date | null;
  /** Why the last round trip failed. */
  readonly error?: string;
}

/**
 * Which instance runs the scheduled jobs. The PostgreSQL lease (store/postgres/leader-lease.ts) elects one of
 * several instances; `soleLeader` (store/sole-leader.ts) is the single lowdb instance, always the leader.
 */
export interface Leadership {
  /** True while this instance may run leader-only work; false as soon as its lease may have run out. */
  isLeader(): boolean;
  /** The current holder as last seen, or null before the first look (or when the lease has never been taken). */
  leader(): LeaderView | null;
  database(): DatabaseContact | null;
  /** Takes (or waits for) the lease; resolves after the first attempt, leader or not. */
  start(): Promise<void>;
  /** Stops renewing and releases the lease, so another instance takes over at once. */
  stop(): Promise<void>;
}
