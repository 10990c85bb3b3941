import { VENDORS, type DriftFinding, type SyncRun, type Vendor } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import { compareRunStart } from '../domain/compare-run-start.js';
import { vendorLabel } from '../domain/vendor-label.js';
import { formatDateTime } from '../cards/format-date.js';
import { safeMd, type Markdown } from '../cards/safe-md.js';
import { DRIFT_ADVICE } from './drift-advice.js';

/**
 * The admins' view of vendor sync: the last run of each vendor that has run or is configured (a failed one
 * with its error), then every open drift finding with what to do about it.
 */
export function syncStatusText(view: LedgerView, configured: readonly Vendor[], timeZone: string): Markdown {
  const last = new Map<Vendor, SyncRun>();
  for (const run of Object.values(view.data.syncRuns)) {
    const seen = last.get(run.vendor);
    if (!seen || compareRunStart(seen, run) <= 0) last.set(run.vendor, run);
  }
  const vendors = VENDORS.filter((v) => last.has(v) || configured.includes(v));
  const runLines = vendors.map((v) => safeMd`- **${vendorLabel(v)}**: ${runText(last.get(v), timeZone)}\n`);
  const open = Object.values(view.data.drift)
    .filter((d) => d.resolvedAt === null)
    .sort((a, b) => (a.detectedAt < b.detectedAt ? 1 : a.detectedAt > b.detectedAt ? -1 : 0));
  const driftLines = open.map((d) => driftLine(view, d, timeZone));
  const runs = runLines.length > 0 ? safeMd`${runLines}` : safeMd`No vendor has synced yet and none is configured.\n`;
  const drift = driftLines.length > 0 ? safeMd`**Open drift findings** (${driftLines.length}):\n${driftLines}` : safeMd`No open drift findings.`;
  return safeMd`**Vendor sync status**\n${runs}\n${drift}`;
}

function runText(run: SyncRun | undefined, timeZone: string): Markdown {
  if (!run) return safeMd`never synced`;
  const started = formatDateTime(run.startedAt, timeZone);
  switch (run.status) {
    case 'running':
      return safeMd`running since ${started} (${run.trigger})`;
    case 'skipped':
      return safeMd`skipped at ${started} (${run.trigger})`;
    case 'ok':
      return safeMd`ok, started ${started} (${run.trigger})${run.summary ? safeMd`: ${run.summary.poolsUpdated} licenses updated, ${run.summary.drift} drift` : safeMd``}`;
    case 'failed': {
      const e = run.error;
      const why = e ? safeMd`${e.message}${e.httpStatus === null ? safeMd`` : safeMd` (HTTP ${e.httpStatus})`}` : safeMd`no reason recorded`;
      return safeMd`**failed**, started ${started} (${run.trigger}): ${why}`;
    }
  }
}

function driftLine(view: LedgerView, d: DriftFinding, timeZone: string): Markdown {
  const pool = view.pool(d.poolId);
  const name = pool ? `${pool.productName} · ${vendorLabel(pool.vendor)}` : d.poolId;
  return safeMd`- **${name}** (since ${formatDateTime(d.detectedAt, timeZone)}): ${d.message} ${DRIFT_ADVICE[d.kind]}\n`;
}
