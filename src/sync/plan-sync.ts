import { createHash } from 'node:crypto';
import {
  DEFAULT_POLICY,
  poolId as makePoolId,
  type ActorRef,
  type AuditAction,
  type Change,
  type DriftFinding,
  type DriftKind,
  type Iso,
  type LicensePool,
  type PoolSourceKind,
  type SeatAssignment,
  type Vendor,
} from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import type { VendorAssignment, VendorPool, VendorSnapshot } from '../domain/vendor-snapshot.js';
import { VendorApiError } from '../errors.js';

export const SYNC_ACTOR: ActorRef = { kind: 'system', name: 'sync' };
/** 'expiry_moved' and 'total_changed' report an event: they stay open this long, then resolve. */
export const DRIFT_EVENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Pools whose holders the vendor lists one by one; only for these can consumed be checked against seats. */
const LISTS_HOLDERS: ReadonlySet<PoolSourceKind> = new Set<PoolSourceKind>([
  'webex.license', 'meraki.device_license_group', 'meraki.sm_seats', 'zoho.user_licenses', 'cpod.software_license',
]);
const DRIFT_KINDS: readonly DriftKind[] = ['consumed_mismatch', 'over_allocated', 'expiry_moved', 'total_changed'];
const SYNCED_FIELDS = [
  'sourceKind', 'productName', 'sku', 'licenseModel', 'unit', 'totalSeats', 'consumedSeats', 'vendorAvailableSeats',
  'startDate', 'expiryDate', 'renewalDate', 'autoRenew', 'state', 'vendorState', 'compliance', 'subscriptionRef',
  'scope', 'metered',
] as const;
type SyncedPool = Pick<LicensePool, (typeof SYNCED_FIELDS)[number]>;

export interface SyncCounts {
  poolsReported: number;
  seatsReported: number;
  poolsAdded: number;
  /** Includes restored pools. */
  poolsUpdated: number;
  poolsRestored: number;
  poolsRetired: number;
  seatsAdded: number;
  seatsUpdated: number;
  seatsEnded: number;
  /** Bot-granted seats the vendor now reports (vendorSeen turned on). */
  seatsMatched: number;
  /** Bot-granted seats the vendor no longer reports (kept, vendorSeen turned off). */
  seatsUnseen: number;
  /** Vendor assignments skipped: duplicates or pointing at a pool the snapshot does not hold. */
  seatsIgnored: number;
  driftOpened: number;
  driftUpdated: number;
  driftResolved: number;
  /** Open findings on this connection's pools once the plan is applied. */
  driftOpen: number;
  auditEvents: number;
  changes: number;
}

export interface PoolDiff {
  poolId: string;
  productName: string;
  action: 'add' | 'update' | 'restore' | 'retire' | 'none';
  /** Synced pool fields that changed. */
  fields: string[];
  seatsAdded: number;
  seatsUpdated: number;
  seatsEnded: number;
  seatsMatched: number;
  seatsUnseen: number;
  /** Drift kinds open on the pool after the plan. */
  drift: DriftKind[];
}

export interface SyncPlanSummary {
  vendor: Vendor;
  connectionId: string;
  at: Iso;
  fetchedAt: Iso;
  counts: SyncCounts;
  /** Only pools with something to change. */
  pools: PoolDiff[];
}

/** A plain, serializable plan: what a dry run prints and what applySync commits in one write. */
export interface SyncPlan extends SyncPlanSummary {
  changes: Change[];
}

/**
 * Diffs one vendor snapshot against the ledger's pools and seats of the same vendor connection. Pure and
 * deterministic: the same view, snapshot and `now` give the same plan, and planning against the result of
 * applying a plan gives an empty one. Pools are retired, never deleted; bot-granted seats are never ended.
 */
export function planSync(view: LedgerView, snapshot: VendorSnapshot, now: Iso): SyncPlan {
  const ctx = new PlanContext(view, snapshot, now);
  const byPool = groupAssignments(snapshot, ctx);
  const reported = new Set<string>();
  for (const vp of snapshot.pools) {
    const id = makePoolId(snapshot.vendor, snapshot.connectionId, vp.externalId);
    reported.add(id);
    const diff = planPool(ctx, id, vp);
    planSeats(ctx, diff, byPool.get(vp.externalId) ?? []);
  }
  for (const pool of view.pools()) {
    if (pool.vendor !== snapshot.vendor || pool.connectionId !== snapshot.connectionId || reported.has(pool.id)) continue;
    const diff = ctx.diff(pool, 'none');
    if (!pool.retired) {
      const after: LicensePool = { ...pool, retired: true, retiredAt: now, updatedAt: now };
      diff.action = 'retire';
      ctx.counts.poolsRetired++;
      ctx.put({ type: 'pool.put', pool: after });
      ctx.audit('pool.retired', pool.id, null, { retired: false, retiredAt: pool.retiredAt }, { retired: true, retiredAt: now }, 'no longer reported by the vendor');
      diff.pool = after;
    }
    planSeats(ctx, diff, []);
  }
  return ctx.finish();
}

interface WorkingDiff extends PoolDiff {
  pool: LicensePool;
  before: LicensePool | undefined;
  reported: boolean;
}

class PlanContext {
  readonly counts: SyncCounts = {
    poolsReported: 0, seatsReported: 0, poolsAdded: 0, poolsUpdated: 0, poolsRestored: 0, poolsRetired: 0,
    seatsAdded: 0, seatsUpdated: 0, seatsEnded: 0, seatsMatched: 0, seatsUnseen: 0, seatsIgnored: 0,
    driftOpened: 0, driftUpdated: 0, driftResolved: 0, driftOpen: 0, auditEvents: 0, changes: 0,
  };
  readonly changes: Change[] = [];
  private readonly diffs: WorkingDiff[] = [];

  constructor(
    readonly view: LedgerView,
    readonly snapshot: VendorSnapshot,
    readonly now: Iso,
  ) {
    this.counts.poolsReported = snapshot.pools.length;
    this.counts.seatsReported = snapshot.assignments.length;
  }

  diff(pool: LicensePool, action: PoolDiff['action'], before: LicensePool | undefined = pool, reported = false): WorkingDiff {
    const d: WorkingDiff = {
      poolId: pool.id, productName: pool.productName, action, fields: [], seatsAdded: 0, seatsUpdated: 0,
      seatsEnded: 0, seatsMatched: 0, seatsUnseen: 0, drift: [], pool, before, reported,
    };
    this.diffs.push(d);
    return d;
  }

  put(change: Change): void {
    this.changes.push(change);
  }

  audit(action: AuditAction, poolId: string, assignmentId: string | null, before: unknown, after: unknown, note: string | null = null): void {
    this.counts.auditEvents++;
    this.changes.push({
      type: 'audit.add',
      event: {
        id: `sync:${this.now}:${assignmentId === null ? `pool:${poolId}` : `seat:${assignmentId}`}`,
        at: this.now, actor: SYNC_ACTOR, source: 'sync', action, poolId, assignmentId, before, after,
        idempotencyKey: null, note,
      },
    });
  }

  finish(): SyncPlan {
    const pools: PoolDiff[] = [];
    for (const { pool: _p, before: _b, reported: _r, ...d } of this.diffs) {
      if (d.action !== 'none' || d.seatsAdded + d.seatsUpdated + d.seatsEnded + d.seatsMatched + d.seatsUnseen > 0) pools.push(d);
    }
    this.counts.changes = this.changes.length;
    const { vendor, connectionId, fetchedAt } = this.snapshot;
    return { vendor, connectionId, at: this.now, fetchedAt, counts: this.counts, pools, changes: this.changes };
  }
}

function groupAssignments(snapshot: VendorSnapshot, ctx: PlanContext): Map<string, VendorAssignment[]> {
  const byPool = new Map<string, VendorAssignment[]>();
  for (const vp of snapshot.pools) {
    if (byPool.has(vp.externalId)) {
      throw new VendorApiError(snapshot.vendor, 'VENDOR_SNAPSHOT_INVALID', `pool ${vp.externalId} is reported twice`);
    }
    byPool.set(vp.externalId, []);
  }
  const seen = new Set<string>();
  for (const va of snapshot.assignments) {
    const list = byPool.get(va.poolExternalId);
    const key = `${va.poolExternalId}\u0000${va.externalId}`;
    if (list === undefined || seen.has(key)) {
      ctx.counts.seatsIgnored++;
      continue;
    }
    seen.add(key);
    list.push(va);
  }
  return byPool;
}

function syncedFields(vp: VendorPool): SyncedPool {
  return {
    sourceKind: vp.sourceKind, productName: vp.productName, sku: vp.sku, licenseModel: vp.licenseModel, unit: vp.unit,
    totalSeats: vp.totalSeats, consumedSeats: vp.consumedSeats, vendorAvailableSeats: vp.availableSeats,
    startDate: vp.startDate, expiryDate: vp.expiryDate, renewalDate: vp.renewalDate, autoRenew: vp.autoRenew,
    state: vp.state, vendorState: vp.vendorState, compliance: vp.compliance, subscriptionRef: vp.subscriptionRef,
    scope: { ...vp.scope }, metered: vp.metered,
  };
}

function planPool(ctx: PlanContext, id: string, vp: VendorPool): WorkingDiff {
  const { now, snapshot } = ctx;
  const synced = syncedFields(vp);
  const existing = ctx.view.pool(id);
  if (existing === undefined) {
    const pool: LicensePool = {
      id, vendor: snapshot.vendor, connectionId: snapshot.connectionId, externalId: vp.externalId, ...synced,
      retired: false, retiredAt: null, policy: { ...DEFAULT_POLICY }, createdAt: now, updatedAt: now, syncedAt: now,
    };
    ctx.counts.poolsAdded++;
    ctx.put({ type: 'pool.put', pool });
    ctx.audit('pool.created', id, null, null, synced);
    const d = ctx.diff(pool, 'add', undefined, true);
    d.fields = [...SYNCED_FIELDS];
    return d;
  }
  const fields: string[] = SYNCED_FIELDS.filter((f) => !sameValue(existing[f], synced[f]));
  if (existing.retired) fields.push('retired');
  if (fields.length === 0) return ctx.diff(existing, 'none', existing, true);
  const pool: LicensePool = { ...existing, ...synced, retired: false, retiredAt: null, updatedAt: now, syncedAt: now };
  ctx.counts.poolsUpdated++;
  if (existing.retired) ctx.counts.poolsRestored++;
  ctx.put({ type: 'pool.put', pool });
  const pick = (p: LicensePool): Record<string, unknown> =>
    Object.fromEntries(fields.map((f) => [f, f === 'retired' ? p.retired : p[f as keyof SyncedPool]]));
  ctx.audit('pool.updated', id, null, pick(existing), pick(pool), existing.retired ? 'reported again by the vendor' : null);
  const d = ctx.diff(pool, existing.retired ? 'restore' : 'update', existing, true);
  d.fields = fields;
  return d;
}

const isOpen = (s: SeatAssignment): boolean => s.status === 'active' || s.status === 'pending';
const personKey = (kind: string, id: string): string => `${kind}:${id}`;

function planSeats(ctx: PlanContext, diff: WorkingDiff, reported: readonly VendorAssignment[]): void {
  const { now, view } = ctx;
  const pool = diff.pool;
  const byExternal = new Map<string, SeatAssignment>();
  const botByEmail = new Map<string, SeatAssignment>();
  const botById = new Map<string, SeatAssignment>();
  const vendorOpen: SeatAssignment[] = [];
  const botActive: SeatAssignment[] = [];
  for (const s of view.assignmentsOfPool(pool.id)) {
    if (s.origin === 'vendor' && isOpen(s)) {
      vendorOpen.push(s);
      if (s.externalId !== null) byExternal.set(s.externalId, s);
    } else if (s.origin === 'ledger' && s.status === 'active') {
      botActive.push(s);
      if (s.externalId !== null && !byExternal.has(s.externalId)) byExternal.set(s.externalId, s);
      if (s.assignee.email) botByEmail.set(s.assignee.email.toLowerCase(), s);
      botById.set(personKey(s.assignee.kind, s.assignee.id), s);
    }
  }
  const matched = new Set<string>();
  let vendorActive = 0;
  for (const va of reported) {
    if (va.status === 'active') vendorActive += va.seats;
    let seat = byExternal.get(va.externalId);
    if (seat === undefined || matched.has(seat.id)) {
      const email = va.assignee.email?.toLowerCase();
      seat = (email ? botByEmail.get(email) : undefined) ?? botById.get(personKey(va.assignee.kind, va.assignee.id));
      if (seat !== undefined && matched.has(seat.id)) seat = undefined;
    }
    if (seat === undefined) {
      addVendorSeat(ctx, diff, va);
      continue;
    }
    matched.add(seat.id);
    if (seat.origin === 'vendor') updateVendorSeat(ctx, diff, seat, va);
    else markBotSeatSeen(ctx, diff, seat, va);
  }
  for (const s of vendorOpen) {
    if (matched.has(s.id)) continue;
    const after: SeatAssignment = { ...s, status: 'revoked', vendorSeen: false, endedAt: now, endedBy: SYNC_ACTOR, updatedAt: now };
    ctx.counts.seatsEnded++;
    diff.seatsEnded++;
    ctx.put({ type: 'assignment.put', assignment: after });
    ctx.audit('seat.ended_at_vendor', pool.id, s.id, { status: s.status }, { status: 'revoked', endedAt: now }, 'no longer reported by the vendor');
  }
  let botOnly = 0;
  for (const s of botActive) {
    if (matched.has(s.id)) continue;
    botOnly += s.seats;
    if (!s.vendorSeen) continue;
    ctx.counts.seatsUnseen++;
    diff.seatsUnseen++;
    ctx.put({ type: 'assignment.put', assignment: { ...s, vendorSeen: false, updatedAt: now } });
    ctx.audit('seat.synced', pool.id, s.id, { vendorSeen: true }, { vendorSeen: false }, 'granted by the bot, not reported by the vendor: kept');
  }
  planDrift(ctx, diff, vendorActive, botOnly);
}

/**
 * Deterministic, short id for a seat first seen at the vendor: a hash of pool and vendor key (vendor keys
 * can be hundreds of characters, and the id is repeated in every audit event and journal line). A key seen
 * again after its seat ended gets the next free `.n` suffix, so the ended record stays as it was.
 */
function newSeatId(view: LedgerView, vendor: Vendor, poolId: string, externalId: string): string {
  const base = `${vendor}-seat-${createHash('sha256').update(`${poolId}\u0000${externalId}`).digest('base64url').slice(0, 16)}`;
  if (view.assignment(base) === undefined) return base;
  for (let n = 1; ; n++) {
    const id = `${base}.${n}`;
    if (view.assignment(id) === undefined) return id;
  }
}

function addVendorSeat(ctx: PlanContext, diff: WorkingDiff, va: VendorAssignment): void {
  const id = newSeatId(ctx.view, ctx.snapshot.vendor, diff.pool.id, va.externalId);
  const assignee = { kind: va.assignee.kind, id: va.assignee.id, email: va.assignee.email, name: va.assignee.name };
  const seat: SeatAssignment = {
    id, poolId: diff.pool.id, assignee, seats: va.seats, status: va.status, origin: 'vendor', vendorSeen: true,
    externalId: va.externalId, source: 'sync', reason: null, requestedAt: null, requestedBy: null, decidedAt: null,
    decidedBy: null, decisionNote: null, assignedAt: va.assignedAt, endedAt: null, endedBy: null,
    expiresAt: va.expiresAt, lastUsedAt: va.lastUsedAt, updatedAt: ctx.now,
  };
  ctx.counts.seatsAdded++;
  diff.seatsAdded++;
  ctx.put({ type: 'assignment.put', assignment: seat });
  ctx.audit('seat.synced', diff.pool.id, id, null, { status: va.status, seats: va.seats, holder: assignee.email ?? `${assignee.kind}:${assignee.id}` });
}

function updateVendorSeat(ctx: PlanContext, diff: WorkingDiff, s: SeatAssignment, va: VendorAssignment): void {
  const next = {
    email: va.assignee.email, name: va.assignee.name, expiresAt: va.expiresAt, lastUsedAt: va.lastUsedAt,
    seats: va.seats, status: va.status, vendorSeen: true,
  };
  const current = {
    email: s.assignee.email, name: s.assignee.name, expiresAt: s.expiresAt, lastUsedAt: s.lastUsedAt,
    seats: s.seats, status: s.status, vendorSeen: s.vendorSeen,
  };
  const keys = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
  if (keys.length === 0) return;
  const after: SeatAssignment = {
    ...s, assignee: { ...s.assignee, email: next.email, name: next.name }, expiresAt: next.expiresAt,
    lastUsedAt: next.lastUsedAt, seats: next.seats, status: next.status, vendorSeen: true, updatedAt: ctx.now,
  };
  ctx.counts.seatsUpdated++;
  diff.seatsUpdated++;
  ctx.put({ type: 'assignment.put', assignment: after });
  const pick = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));
  ctx.audit('seat.synced', diff.pool.id, s.id, pick(current), pick(next));
}

function markBotSeatSeen(ctx: PlanContext, diff: WorkingDiff, s: SeatAssignment, va: VendorAssignment): void {
  const externalId = s.externalId ?? va.externalId;
  const lastUsedAt = va.lastUsedAt ?? s.lastUsedAt;
  if (s.vendorSeen && externalId === s.externalId && lastUsedAt === s.lastUsedAt) return;
  if (s.vendorSeen) {
    ctx.counts.seatsUpdated++;
    diff.seatsUpdated++;
  } else {
    ctx.counts.seatsMatched++;
    diff.seatsMatched++;
  }
  ctx.put({ type: 'assignment.put', assignment: { ...s, vendorSeen: true, externalId, lastUsedAt, updatedAt: ctx.now } });
  ctx.audit(
    'seat.synced', diff.pool.id, s.id,
    { vendorSeen: s.vendorSeen, externalId: s.externalId, lastUsedAt: s.lastUsedAt },
    { vendorSeen: true, externalId, lastUsedAt },
    s.vendorSeen ? null : 'granted by the bot, now reported by the vendor',
  );
}

interface Holding {
  message: string;
  vendorValue: number | string | null;
  ledgerValue: number | string | null;
}

function driftHolding(diff: WorkingDiff, vendorActive: number, botOnly: number): Map<DriftKind, Holding> {
  const holds = new Map<DriftKind, Holding>();
  const { pool, before } = diff;
  if (!diff.reported || !pool.metered) return holds;
  const ledgerActive = vendorActive + botOnly;
  if (LISTS_HOLDERS.has(pool.sourceKind) && pool.consumedSeats !== null && pool.consumedSeats !== ledgerActive) {
    holds.set('consumed_mismatch', {
      message: `${pool.productName}: the vendor reports ${pool.consumedSeats} seats in use, the ledger counts ${ledgerActive} (${vendorActive} seen at the vendor + ${botOnly} granted by the bot only)`,
      vendorValue: pool.consumedSeats,
      ledgerValue: ledgerActive,
    });
  }
  const used = Math.max(pool.consumedSeats ?? 0, vendorActive) + botOnly;
  if (pool.totalSeats !== null && used > pool.totalSeats) {
    holds.set('over_allocated', {
      message: `${pool.productName}: ${used} seats in use but only ${pool.totalSeats} licensed`,
      vendorValue: pool.totalSeats,
      ledgerValue: used,
    });
  }
  if (before !== undefined && before.expiryDate !== null && before.expiryDate !== pool.expiryDate) {
    holds.set('expiry_moved', {
      message: `${pool.productName}: expiry moved from ${before.expiryDate} to ${pool.expiryDate ?? 'none'}`,
      vendorValue: pool.expiryDate,
      ledgerValue: before.expiryDate,
    });
  }
  if (before !== undefined && before.totalSeats !== pool.totalSeats) {
    holds.set('total_changed', {
      message: `${pool.productName}: licensed seats changed from ${before.totalSeats ?? 'unlimited'} to ${pool.totalSeats ?? 'unlimited'}`,
      vendorValue: pool.totalSeats,
      ledgerValue: before.totalSeats,
    });
  }
  return holds;
}

function planDrift(ctx: PlanContext, diff: WorkingDiff, vendorActive: number, botOnly: number): void {
  const holds = driftHolding(diff, vendorActive, botOnly);
  const nowMs = Date.parse(ctx.now);
  for (const kind of DRIFT_KINDS) {
    const id = `${diff.pool.id}:${kind}`;
    const existing = ctx.view.data.drift[id];
    const open = existing !== undefined && existing.resolvedAt === null;
    const h = holds.get(kind);
    const event = kind === 'expiry_moved' || kind === 'total_changed';
    let finding: DriftFinding | undefined;
    if (h !== undefined) {
      if (!open || event) {
        finding = { id, poolId: diff.pool.id, kind, detectedAt: ctx.now, ...h, resolvedAt: null };
        if (open) ctx.counts.driftUpdated++;
        else ctx.counts.driftOpened++;
      } else if (existing.message !== h.message || existing.vendorValue !== h.vendorValue || existing.ledgerValue !== h.ledgerValue) {
        finding = { ...existing, ...h };
        ctx.counts.driftUpdated++;
      }
    } else if (open && (!event || !diff.reported || nowMs - Date.parse(existing.detectedAt) >= DRIFT_EVENT_TTL_MS)) {
      finding = { ...existing, resolvedAt: ctx.now };
      ctx.counts.driftResolved++;
    }
    if (finding !== undefined) ctx.put({ type: 'drift.put', finding });
    if (finding ? finding.resolvedAt === null : open) {
      diff.drift.push(kind);
      ctx.counts.driftOpen++;
    }
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return stableJson(a) === stableJson(b);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}
