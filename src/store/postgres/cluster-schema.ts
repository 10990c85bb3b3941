/**
 * The tables instances share besides the ledger: `instance_leases` (one row per lease, e.g. the scheduler's
 * leader; `fencing` grows each time the lease changes hands) and `webhook_deliveries` (one row per claimed
 * webhook delivery, pruned after the dedupe TTL). Applied by migration 1.
 */
export const CLUSTER_SCHEMA_SQL =
  'create table if not exists instance_leases (name text primary key, holder text not null, fencing bigint not null default 0, expires_at timestamptz not null); create table if not exists webhook_deliveries (key text primary key, seen_at timestamptz not null default now());';
