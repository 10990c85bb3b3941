import { systemClock, type Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import { withTimeout } from '../../with-timeout.js';
import type { DatabaseContact, LeaderView, Leadership } from '../leadership.js';
import type { SqlQueryable } from './sql-queryable.js';

export interface LeaderLeaseOptions {
  pool: SqlQueryable;
  /** Which lease, e.g. 'scheduler': one row of `instance_leases`. */
  name: string;
  /** This instance's id (INSTANCE_ID). */
  holder: string;
  /** How long a taken or renewed lease lasts without renewal (default 30 s). */
  ttlMs?: number;
  /** How often the holder renews and the others try to take it (default 10 s; less than ttlMs). */
  renewEveryMs?: number;
  /** Only for this instance's own deadline (see below); expiry in the database uses the server's now(). */
  clock?: Clock;
  logger: Logger;
  /** Called when this instance becomes or stops being the leader. */
  onChange?: (leader: boolean) => void;
}

/**
 * Take or renew in one statement: the row is written only when the lease ran out (on the database's clock)
 * or is already ours; `fencing` grows when it changes hands (or is taken again after it ran out). When it
 * is not ours, the same round trip returns the current holder.
 */
const ACQUIRE_SQL = `
with won as (
  insert into instance_leases as l (name, holder, fencing, expires_at)
  values ($1, $2, 1, now() + $3::float8 * interval '1 millisecond')
  on conflict (name) do update
    set holder = excluded.holder,
        fencing = case when l.holder = excluded.holder and l.expires_at >= now() then l.fencing else l.fencing + 1 end,
        expires_at = excluded.expires_at
    where l.expires_at < now() or l.holder = excluded.holder
  returning holder, fencing, expires_at
)
select holder, fencing::text as fencing, expires_at, true as won from won
union all
select holder, fencing::text, expires_at, false from instance_leases
 where name = $1 and not exists (select 1 from won)`;

/** Ends our lease now (keeping `fencing`, so the next holder's token is still larger). */
const RELEASE_SQL = `update instance_leases set expires_at = now() - interval '1 millisecond'
 where name = $1 and holder = $2 and expires_at >= now()`;

const NO_ANSWER = (ms: number): string => `no answer from the database within ${ms} ms`;

interface LeaseRow {
  holder: string;
  fencing: string;
  expires_at: Date;
  won: boolean;
}

function isLeaseRow(row: unknown): row is LeaseRow {
  if (typeof row !== 'object' || row === null) return false;
  const r = row as Record<string, unknown>;
  return typeof r['holder'] === 'string' && typeof r['fencing'] === 'string' && r['expires_at'] instanceof Date && typeof r['won'] === 'boolean';
}

/**
 * A leader lease in PostgreSQL (`instance_leases`, see cluster-schema.ts): every `renewEveryMs` the holder
 * renews and every other instance tries to take it; one statement decides, on the database server's clock,
 * so instance clocks never have to agree.
 *
 * Never two leaders: this instance counts itself leader only until `ttlMs` after it *sent* its last
 * successful renewal (its own clock, measuring an interval only). The database set the expiry at its now()
 * + ttlMs, which happened after that send, so this instance stops before the database lets another take
 * over (clock rates, not clock readings, must agree). A lost database, a failed or hung renewal, or a
 * paused process therefore ends leadership by itself at that deadline. When the leader dies, another
 * instance takes over within ttlMs + renewEveryMs (40 s with the defaults); `stop()` releases at once.
 */
export function createLeaderLease(options: LeaderLeaseOptions): Leadership {
  const { pool, name, holder } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const renewEveryMs = options.renewEveryMs ?? 10_000;
  if (!(renewEveryMs > 0 && renewEveryMs < ttlMs)) {
    throw new TypeError(`createLeaderLease: renewEveryMs (${renewEveryMs}) must be above 0 and below ttlMs (${ttlMs})`);
  }
  const clock = options.clock ?? systemClock;
  const log = options.logger.child({ component: 'leader-lease', lease: name, instance: holder });
  const now = (): number => clock.now().getTime();

  /** Our own deadline (this clock, ms); 0 = not leader. */
  let validUntil = 0;
  let seen: Omit<LeaderView, 'self'> | null = null;
  let contact: DatabaseContact = { ok: false, checkedAt: null };
  let reported = false;
  let stopped = false;
  let renewTimer: NodeJS.Timeout | null = null;
  let expiryTimer: NodeJS.Timeout | null = null;
  let attempt: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;

  const leading = (): boolean => validUntil > now();

  /** Tells onChange (and the log) when leadership flipped, whoever noticed first. */
  function report(): boolean {
    const leader = leading();
    if (leader !== reported) {
      reported = leader;
      if (leader) log.info({ fencing: seen?.fencing }, 'this instance is now the leader');
      else log.warn('this instance is no longer the leader');
      try {
        options.onChange?.(leader);
      } catch (err) {
        log.error({ err }, 'leader onChange callback threw');
      }
    }
    return leader;
  }

  function armExpiry(): void {
    if (expiryTimer !== null) clearTimeout(expiryTimer);
    expiryTimer = null;
    const left = validUntil - now();
    if (left > 0) {
      expiryTimer = setTimeout(() => void report(), left + 1);
      expiryTimer.unref();
    }
  }

  async function tryAcquire(): Promise<void> {
    const sentAt = now();
    try {
      const { rows } = await withTimeout(pool.query(ACQUIRE_SQL, [name, holder, ttlMs]), ttlMs, NO_ANSWER(ttlMs));
      const row = rows[0];
      if (row !== undefined && !isLeaseRow(row)) throw new TypeError('unexpected instance_leases row');
      seen = row === undefined ? null : { holder: row.holder, expiresAt: row.expires_at, fencing: Number(row.fencing) };
      // A stop() while the statement ran must not make us leader again: stop() releases after it settles.
      validUntil = row?.won === true && !stopped ? sentAt + ttlMs : 0;
      if (!contact.ok && contact.checkedAt !== null) log.info('lease database reachable again');
      contact = { ok: true, checkedAt: clock.now() };
    } catch (err) {
      // Leadership, if any, ends by itself at validUntil: never extended without the database's word.
      if (contact.ok || contact.checkedAt === null) log.warn({ err }, 'lease renewal failed; leadership ends when the lease runs out');
      contact = { ok: false, checkedAt: clock.now(), error: err instanceof Error ? err.message : String(err) };
    }
    armExpiry();
    report();
  }

  function loop(): void {
    if (stopped) return;
    renewTimer = setTimeout(() => {
      attempt = tryAcquire().finally(() => {
        attempt = null;
        loop();
      });
    }, renewEveryMs);
    renewTimer.unref();
  }

  /** stop(): no more renewals; then, if the row names us, end the lease in the database now. */
  async function release(): Promise<void> {
    stopped = true;
    if (renewTimer !== null) clearTimeout(renewTimer);
    await attempt;
    validUntil = 0;
    armExpiry();
    report();
    // Also when a renewal won just as stop() began: the row may name us although we no longer lead.
    if (seen?.holder !== holder) return;
    try {
      await withTimeout(pool.query(RELEASE_SQL, [name, holder]), ttlMs, NO_ANSWER(ttlMs));
      log.info('lease released');
    } catch (err) {
      log.warn({ err }, 'could not release the lease; another instance takes over when it runs out');
    }
  }

  return {
    isLeader: report,
    leader() {
      return seen === null ? null : { ...seen, self: report() && seen.holder === holder };
    },
    database() {
      return contact;
    },
    async start() {
      stopped = false;
      stopping = null;
      attempt = tryAcquire();
      await attempt;
      attempt = null;
      loop();
    },
    /** Idempotent: a second call waits for the first. */
    stop() {
      stopping ??= release();
      return stopping;
    },
  };
}
