import { vendorLabel } from '../domain/vendor-label.js';
import { countOf } from '../cards/count-of.js';
import { safeMd, type Markdown } from '../cards/safe-md.js';
import type { SyncOutcome } from './bot-deps.js';

/** The finished sync as the admin reads it; the report's message and vendor errors are vendor text, made inert. */
export function syncResultText(report: SyncOutcome): Markdown {
  const lines = report.vendors.map(({ vendor: v, run }) =>
    run.status === 'ok'
      ? safeMd`\n- **${vendorLabel(v)}**: ok (${run.summary?.poolsAdded ?? 0} added, ${run.summary?.poolsUpdated ?? 0} updated, ${run.summary?.poolsRetired ?? 0} retired, ${countOf(run.summary?.drift ?? 0, 'drift finding')})`
      : safeMd`\n- **${vendorLabel(v)}**: ${run.status}${run.error ? safeMd` — ${run.error.message}` : safeMd``}`,
  );
  return safeMd`${report.message}${lines}`;
}
