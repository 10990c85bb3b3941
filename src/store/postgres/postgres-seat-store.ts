/**
 * The seat ledger in PostgreSQL, shared by any number of bot instances.
 *
 * Tables (migrations.ts): `ledger_changes(seq, changes json, committed_at)`, an append-only log with one
 * row per acknowledged mutation (the same unit as a lowdb journal line), and `ledger_snapshots(seq, data)`,
 * the whole ledger as of `seq`, written now and then from memory so a start reads one snapshot plus the
 * log after it. Rows at or below the previous snapshot are pruned.
 *
 * Why a log under an advisory lock rather than SERIALIZABLE transactions with retry? The rules
 * (domain/execute-ledger-command.ts) decide against the whole in-memory LedgerIndex (usage per pool, the
 * idempotency keys, the waitlist), so a serializable design would have to re-read that state in SQL or
 * retry on every conflict, and conflicts are the normal case here (everyone asks for the same pool). With
 * one transaction-scoped lock per database, writers of all instances are queued, each decides against
 * everything committed before it (catch-up from the log under the lock), and a batch never aborts for a
 * conflict. Group commit keeps that one lock cheap: one transaction carries every mutation queued while
 * the previous one was committing.
 *
 * update(fn) queues fn; the one batch loop runs:
 *   BEGIN; pg_advisory_xact_lock(LEDGER_WRITE_LOCK); read log rows seq > local seq into memory (catch-up)
 *   (those three in one round trip);
 *   run every queued fn against memory in call order, applying its changes with undo closures
 *   (record-undo.ts), a fn that throws rejects only its caller; INSERT the new rows + pg_notify (one
 *   statement); COMMIT
 * and resolves the callers only after COMMIT answered. Any failure before that (query error, lost
 * connection, COMMIT with unknown outcome) undoes the batch in memory and rejects every caller of the
 * batch with STORE_WRITE_FAILED: nothing unknown is acknowledged. If such a COMMIT did land, its rows are
 * in the log and the next catch-up applies them like any other instance's.
 *
 * Parts: open-postgres-seat-store.ts (pool, migrations, load), ledger-replica.ts (memory, catch-up, undo),
 * ledger-log.ts (the SQL), ledger-listener.ts (LISTEN), migrations.ts.
 *
 * Unlike lowdb, fn runs when its batch starts, not during the update() call: it must see what other
 * instances committed, which is known only under the lock. Reads are served from memory and follow other
 * instances' commits via LISTEN/NOTIFY (ledger-listener.ts, reconnecting with backoff and catching up
 * afterwards). Idempotency keys hold across instances because every fn decides after catch-up.
 */
import type pg from 'pg';
import { systemClock, type Clock } from '../../clock.js';
import type { LedgerView } from '../../domain/ledger-view.js';
import { StoreError, errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Mutation, SeatStore, StoreHealth } from '../seat-store.js';
import { LedgerListener } from './ledger-listener.js';
import { appendLog, lockAndReadLog, writeSnapshot, type LoadedLedger } from './ledger-log.js';
import { LedgerReplica } from './ledger-replica.js';

export interface PostgresSeatStoreOptions {
  /** `postgres://user:password@host:port/database` */
  url: string;
  logger?: Logger;
  clock?: Clock;
  /** Connections in the pool besides the LISTEN connection (default 4). */
  poolSize?: number;
  /** Write a snapshot after this many mutations since the last one (default 5,000). */
  snapshotEvery?: number;
  /** Mutations per transaction at most (default 1,000). */
  maxBatch?: number;
  /** Apply pending migrations on open (default true); false only checks the version. */
  migrate?: boolean;
  /** Follow other instances with LISTEN (default true), plus a catch-up every `pollMs` (default 5 s). */
  listen?: boolean;
  pollMs?: number;
}

interface Queued {
  fn: (view: LedgerView) => Mutation<unknown>;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; result: unknown } | { ok: false; err: unknown };

export class PostgresSeatStore implements SeatStore {
  /** The database, without password: `postgres://user@host:port/db`. */
  readonly where: string;
  /** @internal */
  readonly listener: LedgerListener | null;
  private readonly pool: pg.Pool;
  private readonly logger: Logger | undefined;
  private readonly clock: Clock;
  private readonly snapshotEvery: number;
  private readonly maxBatch: number;
  private readonly pollMs: number;
  private readonly replica: LedgerReplica;
  private queue: Queued[] = [];
  private inFlight = 0;
  private running = false;
  private pumpDone: Promise<void> = Promise.resolve();
  private catchUpWanted = false;
  private snapshotting: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  /** Catch-up every few seconds besides LISTEN: a silently dead LISTEN socket cannot leave reads stale for long. */
  private poll: NodeJS.Timeout | null = null;
  private failing = false;
  private lastError: string | null = null;
  private lastWriteAt: string | null = null;
  readonly counters = { batches: 0, mutations: 0, catchUps: 0, snapshots: 0 };

  /** @internal use openPostgresSeatStore */
  constructor(pool: pg.Pool, where: string, loaded: LoadedLedger, options: PostgresSeatStoreOptions) {
    this.pool = pool;
    this.where = where;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.snapshotEvery = options.snapshotEvery ?? 5000;
    this.maxBatch = options.maxBatch ?? 1000;
    this.pollMs = options.pollMs ?? 5000;
    this.replica = new LedgerReplica({ ...loaded, where, logger: options.logger });
    this.listener =
      options.listen === false
        ? null
        : new LedgerListener(
            { connectionString: options.url, connectionTimeoutMillis: 10_000, keepAlive: true },
            (seq) => {
              if (seq === null || seq > this.replica.seq) this.requestCatchUp();
            },
            options.logger,
          );
  }

  /** @internal Starts LISTEN and the catch-up timer, then catches up with commits since the load. */
  async follow(): Promise<void> {
    if (!this.listener) return;
    await this.listener.start();
    this.poll = setInterval(() => this.requestCatchUp(), this.pollMs);
    this.poll.unref();
    this.requestCatchUp();
  }

  read(): LedgerView {
    return this.replica.index;
  }

  update<R>(fn: (view: LedgerView) => Mutation<R>): Promise<R> {
    if (this.closing) return Promise.reject(new StoreError('STORE_CLOSED', this.where, `${this.where}: the store is closed`));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (r: unknown) => void, reject });
      this.kick();
    });
  }

  /** Reads other instances' commits into memory soon (between two batches). */
  requestCatchUp(): void {
    if (this.closing) return;
    this.catchUpWanted = true;
    this.kick();
  }

  /** The highest seq in memory (committed once no batch is in flight). */
  get lastSeq(): number {
    return this.replica.seq;
  }

  /** Resolves once every update queued so far has settled and no snapshot is being written. */
  async drain(): Promise<void> {
    while (this.running || this.snapshotting) {
      if (this.running) await this.pumpDone;
      else await this.snapshotting;
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.poll) clearInterval(this.poll);
      try {
        await this.drain();
      } finally {
        await this.listener?.stop();
        await this.pool.end();
      }
    })();
    return this.closing;
  }

  health(): StoreHealth {
    return {
      ok: !this.failing,
      file: this.where,
      lastWriteAt: this.lastWriteAt,
      lastError: this.lastError,
      pendingWrites: this.queue.length + this.inFlight,
    };
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    this.pumpDone = this.pump();
  }

  /** The one loop that changes memory: batches first, catch-ups between them. */
  private async pump(): Promise<void> {
    try {
      for (;;) {
        if (this.queue.length > 0) await this.runBatch();
        else if (this.catchUpWanted && !this.closing) {
          this.catchUpWanted = false;
          await this.catchUpAlone();
        } else return;
      }
    } finally {
      this.running = false;
    }
  }

  /** A catch-up outside any batch (no lock needed: the log is read in seq order, a gap-free prefix). */
  private async catchUpAlone(): Promise<void> {
    let client: pg.PoolClient | null = null;
    let broken: Error | undefined;
    const onError = (err: Error): void => this.logger?.warn({ err, database: this.where }, 'the catch-up connection failed');
    try {
      client = await this.pool.connect();
      client.on('error', onError);
      if ((await this.replica.catchUp(client)) > 0) this.counters.catchUps++;
    } catch (err) {
      broken = err instanceof Error ? err : new Error(String(err));
      this.logger?.warn({ err, database: this.where }, 'could not read other instances’ changes; retrying on the next write or notice');
    } finally {
      client?.off('error', onError);
      client?.release(broken);
    }
  }

  private async runBatch(): Promise<void> {
    // Taken once the lock is held: callers that arrive while it is awaited join this transaction.
    let batch: Queued[] = [];
    const undo: (() => void)[] = [];
    const outcomes: Outcome[] = [];
    let base: number | null = null;
    let client: pg.PoolClient | null = null;
    // A connection that dies while checked out emits 'error' besides failing its query: without this
    // listener that would be an uncaught exception.
    const onError = (err: Error): void => this.logger?.warn({ err, database: this.where }, 'the write connection failed');
    try {
      client = await this.pool.connect();
      client.on('error', onError);
      const locked = client;
      if ((await this.replica.catchUp(locked, (after) => lockAndReadLog(locked, after, this.where))) > 0) this.counters.catchUps++;
      base = this.replica.seq;
      batch = this.queue.splice(0, this.maxBatch);
      this.inFlight = batch.length;
      const rows: { seq: number; text: string }[] = [];
      for (const q of batch) outcomes.push(this.decide(q, undo, rows));
      await appendLog(client, rows);
      await client.query('commit');
    } catch (err) {
      if (client) await client.query('rollback').catch(() => undefined); // a dead connection is discarded below
      client?.off('error', onError);
      client?.release(err instanceof Error ? err : new Error(String(err)));
      client = null;
      this.inFlight = 0;
      // Failed before taking its callers (no connection, no lock): they fail now rather than spin.
      if (base === null) batch = this.queue.splice(0, this.maxBatch);
      this.failBatch(batch, outcomes, undo, base, err);
      return;
    } finally {
      client?.off('error', onError);
      client?.release();
    }
    this.inFlight = 0;
    this.failing = false;
    this.lastWriteAt = this.clock.now().toISOString();
    this.counters.batches++;
    this.counters.mutations += batch.length;
    batch.forEach((q, i) => {
      const o = outcomes[i];
      if (o?.ok) q.resolve(o.result);
      else q.reject(o?.err);
    });
    this.maybeSnapshot();
  }

  /** Runs one caller's fn against memory; its changes are applied (undo kept) and queued as one row. */
  private decide(q: Queued, undo: (() => void)[], rows: { seq: number; text: string }[]): Outcome {
    try {
      const { changes, result } = q.fn(this.replica.index);
      if (changes.length === 0) return { ok: true, result };
      // Throws (BigInt, cycles) before anything is applied; the row holds exactly this text.
      const text = JSON.stringify(changes);
      undo.push(...this.replica.apply(changes));
      this.replica.seq++;
      rows.push({ seq: this.replica.seq, text });
      return { ok: true, result };
    } catch (err) {
      return { ok: false, err };
    }
  }

  /** Nothing of the batch is known committed: take it back in memory and reject all its callers. */
  private failBatch(batch: Queued[], outcomes: Outcome[], undo: (() => void)[], base: number | null, err: unknown): void {
    this.replica.rollBack(undo, base);
    const error = new StoreError(
      'STORE_WRITE_FAILED',
      this.where,
      `Could not write to ${this.where}: ${errorMessage(err)}; ${batch.length} change(s) were not saved`,
      { cause: err },
    );
    this.failing = true;
    this.lastError = error.message;
    this.logger?.error({ err, database: this.where, lost: batch.length }, 'ledger write failed; memory rolled back to the last commit');
    batch.forEach((q, i) => {
      const o = outcomes[i];
      q.reject(o && !o.ok ? o.err : error);
    });
  }

  /** After a commit (memory = committed state): a snapshot from memory once enough rows piled up. */
  private maybeSnapshot(): void {
    const replica = this.replica;
    if (this.snapshotting || this.closing || replica.seq - replica.snapshotSeq < this.snapshotEvery) return;
    const seq = replica.seq;
    const text = JSON.stringify(replica.index.data);
    replica.snapshotSeq = seq;
    this.snapshotting = writeSnapshot(this.pool, seq, text)
      .then(
        () => {
          this.counters.snapshots++;
        },
        (err: unknown) => {
          this.logger?.warn({ err, database: this.where, seq }, 'could not write a ledger snapshot; the log keeps everything');
        },
      )
      .finally(() => {
        this.snapshotting = null;
      });
  }
}
