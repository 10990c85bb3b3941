import type { Assignee, Change, IdempotencyRecord, LedgerData, LicensePool, ProvisionHold, ProvisionIntent, SeatAssignment } from './ledger.js';
import { ownEntry } from './own-entry.js';

/** Seat counts of one pool, as cards show them and as the ledger enforces them. */
export interface PoolUsage {
  /** null = unlimited, or a pool the vendor does not meter (whatever total it reports). */
  total: number | null;
  /** false when the vendor does not count this pool's seats (Webex Hybrid Services read 1/0). */
  metered: boolean;
  /** Seats the vendor holds: max(vendor consumedSeats, active seats sync observed at the vendor). */
  vendorUsed: number;
  /** Active seats granted through the bot that the vendor has not reported yet. */
  ledgerOnly: number;
  /** vendorUsed + ledgerOnly. */
  used: number;
  /**
   * Seats reserved and not yet in use: pendingRequests + pendingInvitations + waitlistOffers. This one number
   * is what every card and command calls "pending", and what `available` subtracts.
   */
  pending: number;
  /** Requests made through the bot, waiting for an admin (the `pending` command lists exactly these). */
  pendingRequests: number;
  /** Invitations pending at the vendor (e.g. unconfirmed Zoho CRM users): settled there, not by the bot. */
  pendingInvitations: number;
  /** Seats held for a waiting person who was offered one and has not claimed it yet (absent = 0). */
  waitlistOffers?: number;
  /** total - used - pending, never below 0; null when unlimited. */
  available: number | null;
}

/** Read access to the ledger with the indexes the rules need (O(1) per question). */
export interface LedgerView {
  readonly data: Readonly<LedgerData>;
  pool(id: string): LicensePool | undefined;
  pools(): LicensePool[];
  assignment(id: string): SeatAssignment | undefined;
  assignmentsOfPool(poolId: string): SeatAssignment[];
  /** Every seat (any status) whose assignee matches this person id or email. */
  assignmentsOfPerson(person: { id?: string | null; email?: string | null }): SeatAssignment[];
  /** The person's active or pending seat in the pool, if any. */
  openSeat(poolId: string, assignee: Pick<Assignee, 'kind' | 'id' | 'email'>): SeatAssignment | undefined;
  usage(poolId: string): PoolUsage;
  idempotency(key: string): IdempotencyRecord | undefined;
  idempotencyCount(): number;
  /** The n oldest idempotency keys, oldest first. */
  oldestIdempotencyKeys(n: number): string[];
  /** Every provisioning intent of a seat, oldest first (the last one is its vendor state). */
  provisionsOf(assignmentId: string): ProvisionIntent[];
  /** Intents still to carry out or held (queued, paused), oldest first. */
  openProvisions(): ProvisionIntent[];
  /** How many provisioning intents were ever queued (the next one's `seq`). */
  provisionCount(): number;
  /** Write-back holds in force (removal brake, vendor auth); lifted ones are not listed. */
  provisionHolds(): ProvisionHold[];
}

/** The key that makes "one open seat per person per pool": email for people, kind+id otherwise. */
export function assigneeKey(a: Pick<Assignee, 'kind' | 'id' | 'email'>): string {
  return a.email ? `email:${a.email.toLowerCase()}` : `${a.kind}:${a.id}`;
}

interface Counters {
  vendorObserved: number;
  ledgerOnly: number;
  pendingRequests: number;
  pendingInvitations: number;
}

const noCounts = (): Counters => ({ vendorObserved: 0, ledgerOnly: 0, pendingRequests: 0, pendingInvitations: 0 });

const isOpen = (s: SeatAssignment): boolean => s.status === 'active' || s.status === 'pending';

/**
 * In-memory ledger: the persisted data plus derived indexes, kept in step by `apply(changes)`.
 * Pure (no I/O); the store owns one and applies every committed change to it.
 */
export class LedgerIndex implements LedgerView {
  readonly data: LedgerData;
  private readonly byPool = new Map<string, Set<string>>();
  private readonly byPerson = new Map<string, Set<string>>();
  private readonly open = new Map<string, string>();
  private readonly counters = new Map<string, Counters>();
  /** Insertion order of idempotency keys, for pruning the oldest. */
  private readonly idemOrder = new Set<string>();
  /** Provisioning intent ids per seat, in creation order, and the open ones (queued, paused). */
  private readonly provisionIds = new Map<string, string[]>();
  private readonly openProvisionIds = new Set<string>();
  private provisionTotal = 0;

  constructor(data: LedgerData) {
    this.data = data;
    for (const a of Object.values(data.assignments)) this.indexAssignment(undefined, a);
    const records = Object.values(data.idempotency).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const r of records) this.idemOrder.add(r.key);
    const intents = Object.values(data.provisions ?? {}).sort((a, b) => compareProvisions(a, b));
    for (const i of intents) this.indexProvision(i);
  }

  /** @internal used by applyChange */
  putProvision(intent: ProvisionIntent): void {
    (this.data.provisions ??= {})[intent.id] = intent;
    this.indexProvision(intent);
  }

  private indexProvision(intent: ProvisionIntent): void {
    const ids = this.provisionIds.get(intent.assignmentId) ?? [];
    if (!ids.includes(intent.id)) {
      ids.push(intent.id);
      this.provisionTotal++;
    }
    this.provisionIds.set(intent.assignmentId, ids);
    if (intent.status === 'queued' || intent.status === 'paused') this.openProvisionIds.add(intent.id);
    else this.openProvisionIds.delete(intent.id);
  }

  provisionsOf(assignmentId: string): ProvisionIntent[] {
    const all = this.data.provisions ?? {};
    return (this.provisionIds.get(assignmentId) ?? []).map((id) => all[id]).filter((i): i is ProvisionIntent => i !== undefined);
  }

  openProvisions(): ProvisionIntent[] {
    const all = this.data.provisions ?? {};
    const out: ProvisionIntent[] = [];
    for (const id of this.openProvisionIds) {
      const i = all[id];
      if (i) out.push(i);
    }
    return out;
  }

  provisionCount(): number {
    return this.provisionTotal;
  }

  provisionHolds(): ProvisionHold[] {
    return Object.values(this.data.provisionHolds ?? {}).filter((h) => h.liftedAt === undefined || h.liftedAt === null);
  }

  apply(changes: readonly Change[]): void {
    for (const c of changes) applyChange(this, c);
  }

  /** @internal used by applyChange */
  putAssignment(a: SeatAssignment): void {
    const before = ownEntry(this.data.assignments, a.id);
    this.data.assignments[a.id] = a;
    this.indexAssignment(before, a);
  }

  pool(id: string): LicensePool | undefined {
    return ownEntry(this.data.pools, id);
  }

  pools(): LicensePool[] {
    return Object.values(this.data.pools);
  }

  assignment(id: string): SeatAssignment | undefined {
    return ownEntry(this.data.assignments, id);
  }

  assignmentsOfPool(poolId: string): SeatAssignment[] {
    return this.collect(this.byPool.get(poolId));
  }

  assignmentsOfPerson(person: { id?: string | null; email?: string | null }): SeatAssignment[] {
    const ids = new Set<string>();
    for (const key of personKeys(person)) for (const id of this.byPerson.get(key) ?? []) ids.add(id);
    return this.collect(ids);
  }

  openSeat(poolId: string, assignee: Pick<Assignee, 'kind' | 'id' | 'email'>): SeatAssignment | undefined {
    const byKey = this.open.get(`${poolId}\u0000${assigneeKey(assignee)}`);
    if (byKey !== undefined) return this.data.assignments[byKey];
    // A synced holder may carry no email while the chatter's Webex id matches.
    const byId = this.open.get(`${poolId}\u0000${assignee.kind}:${assignee.id}`);
    return byId === undefined ? undefined : this.data.assignments[byId];
  }

  usage(poolId: string): PoolUsage {
    const pool = ownEntry(this.data.pools, poolId);
    const c = this.counters.get(poolId) ?? noCounts();
    let offers = 0;
    for (const e of Object.values(this.data.waitlist ?? {})) if (e.poolId === poolId && e.status === 'offered') offers++;
    const pending = c.pendingRequests + c.pendingInvitations + offers;
    const vendorUsed = Math.max(pool?.consumedSeats ?? 0, c.vendorObserved);
    const used = vendorUsed + c.ledgerOnly;
    const metered = pool?.metered ?? true;
    // An unmetered pool's reported total (Webex Hybrid: always 1) is not a limit, so it does not cap grants.
    const total = metered ? (pool?.totalSeats ?? null) : null;
    return {
      total,
      metered,
      vendorUsed,
      ledgerOnly: c.ledgerOnly,
      used,
      pending,
      pendingRequests: c.pendingRequests,
      pendingInvitations: c.pendingInvitations,
      ...(offers > 0 ? { waitlistOffers: offers } : {}),
      available: total === null ? null : Math.max(0, total - used - pending),
    };
  }

  idempotency(key: string): IdempotencyRecord | undefined {
    return ownEntry(this.data.idempotency, key);
  }

  idempotencyCount(): number {
    return this.idemOrder.size;
  }

  oldestIdempotencyKeys(n: number): string[] {
    const out: string[] = [];
    for (const k of this.idemOrder) {
      if (out.length >= n) break;
      out.push(k);
    }
    return out;
  }

  /** @internal used by applyChange */
  trackIdempotency(key: string, present: boolean): void {
    if (present) this.idemOrder.add(key);
    else this.idemOrder.delete(key);
  }

  private collect(ids: Iterable<string> | undefined): SeatAssignment[] {
    const out: SeatAssignment[] = [];
    for (const id of ids ?? []) {
      const a = this.data.assignments[id];
      if (a) out.push(a);
    }
    return out;
  }

  private indexAssignment(before: SeatAssignment | undefined, after: SeatAssignment): void {
    if (before) {
      this.count(before, -1);
      if (isOpen(before)) {
        for (const k of openKeys(before)) if (this.open.get(k) === before.id) this.open.delete(k);
      }
      for (const k of personKeys(before.assignee)) this.byPerson.get(k)?.delete(before.id);
    }
    this.count(after, +1);
    if (isOpen(after)) for (const k of openKeys(after)) this.open.set(k, after.id);
    for (const k of personKeys(after.assignee)) setOf(this.byPerson, k).add(after.id);
    setOf(this.byPool, after.poolId).add(after.id);
  }

  private count(a: SeatAssignment, sign: 1 | -1): void {
    if (!isOpen(a)) return;
    let c = this.counters.get(a.poolId);
    if (!c) {
      c = noCounts();
      this.counters.set(a.poolId, c);
    }
    if (a.status === 'pending' && a.origin === 'vendor') c.pendingInvitations += sign * a.seats;
    else if (a.status === 'pending') c.pendingRequests += sign * a.seats;
    else if (a.origin === 'vendor' || a.vendorSeen) c.vendorObserved += sign * a.seats;
    else c.ledgerOnly += sign * a.seats;
  }
}

function applyChange(index: LedgerIndex, c: Change): void {
  const d = index.data;
  switch (c.type) {
    case 'pool.put':
      d.pools[c.pool.id] = c.pool;
      return;
    case 'assignment.put':
      index.putAssignment(c.assignment);
      return;
    case 'audit.add':
      d.audit.push(c.event);
      return;
    case 'idempotency.put':
      d.idempotency[c.record.key] = c.record;
      index.trackIdempotency(c.record.key, true);
      return;
    case 'idempotency.delete':
      delete d.idempotency[c.key];
      index.trackIdempotency(c.key, false);
      return;
    case 'syncRun.put':
      d.syncRuns[c.run.id] = c.run;
      return;
    case 'syncRun.delete':
      delete d.syncRuns[c.id];
      return;
    case 'drift.put':
      d.drift[c.finding.id] = c.finding;
      return;
    case 'space.put':
      d.spaces[c.space.roomId] = c.space;
      return;
    case 'notice.put':
      d.notices[c.notice.id] = c.notice;
      return;
    case 'waitlist.put':
      (d.waitlist ??= {})[c.entry.id] = c.entry;
      return;
    case 'provision.put':
      index.putProvision(c.intent);
      return;
    case 'provisionHold.put':
      (d.provisionHolds ??= {})[c.hold.id] = c.hold;
      return;
    case 'provisionHold.delete':
      if (d.provisionHolds) delete d.provisionHolds[c.id];
      return;
  }
}

/** Creation order of provisioning intents: `seq`, else (older records) creation time, then id. */
export function compareProvisions(a: ProvisionIntent, b: ProvisionIntent): number {
  if (a.seq !== undefined && b.seq !== undefined && a.seq !== b.seq) return a.seq - b.seq;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function personKeys(p: { id?: string | null; email?: string | null }): string[] {
  const keys: string[] = [];
  if (p.email) keys.push(`email:${p.email.toLowerCase()}`);
  if (p.id) keys.push(`id:${p.id}`);
  return keys;
}

function openKeys(a: SeatAssignment): string[] {
  const keys = [`${a.poolId}\u0000${assigneeKey(a.assignee)}`];
  if (a.assignee.email) keys.push(`${a.poolId}\u0000${a.assignee.kind}:${a.assignee.id}`);
  return keys;
}

function setOf(m: Map<string, Set<string>>, k: string): Set<string> {
  let s = m.get(k);
  if (!s) {
    s = new Set();
    m.set(k, s);
  }
  return s;
}
