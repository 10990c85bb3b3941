import type { Vendor } from '../../domain/ledger.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyText } from '../reply-card.js';
import { answerError } from '../answer-failure.js';
import { countOf } from '../../cards/count-of.js';
import { safeMd, type Markdown } from '../../cards/safe-md.js';
import type { SyncOutcome } from '../bot-deps.js';

/** Words people use for a vendor. A Map: "sync constructor" must not find Object's own properties. */
const ALIASES: ReadonlyMap<string, Vendor> = new Map([
  ['webex', 'webex'],
  ['meraki', 'meraki'],
  ['zoho', 'zoho_crm'],
  ['zoho crm', 'zoho_crm'],
  ['zoho_crm', 'zoho_crm'],
  ['cpod', 'cpod'],
]);

/** The finished sync as the admin reads it; the report's message and vendor errors are vendor text, escaped. */
function syncResult(report: SyncOutcome): Markdown {
  const lines = report.vendors.map(({ vendor: v, run }) =>
    run.status === 'ok'
      ? safeMd`\n- **${vendorLabel(v)}**: ok (${run.summary?.poolsAdded ?? 0} added, ${run.summary?.poolsUpdated ?? 0} updated, ${run.summary?.poolsRetired ?? 0} retired, ${countOf(run.summary?.drift ?? 0, 'drift finding')})`
      : safeMd`\n- **${vendorLabel(v)}**: ${run.status}${run.error ? safeMd` — ${run.error.message}` : safeMd``}`,
  );
  return safeMd`${report.message}${lines}`;
}

export const sync: Command = {
  name: 'sync',
  usage: 'sync [webex|meraki|zoho|cpod]',
  help: 'Fetch seat counts from the vendors now.',
  adminOnly: true,
  match: byPattern(/^(sync|refresh|resync)(?: (?<vendor>[\w ]+?))?( now)?$/i),
  run: (ctx, args) => {
    const runner = ctx.deps.sync;
    if (!runner || runner.vendors().length === 0) {
      return Promise.resolve(
        answerError(
          ctx,
          'No vendors',
          "No vendor is configured: set a vendor's credentials (see the README).",
        ),
      );
    }
    const word = args['vendor']?.toLowerCase();
    const vendor = word === undefined || word === 'all' ? undefined : ALIASES.get(word);
    if (word !== undefined && word !== 'all' && vendor === undefined) {
      return Promise.resolve(
        answerError(
          ctx,
          'Unknown vendor',
          `"${word}" is not a vendor. Choose one of: webex, meraki, zoho, cpod.`,
        ),
      );
    }
    if (vendor !== undefined && !runner.vendors().includes(vendor)) {
      return Promise.resolve(
        answerError(ctx, 'Not configured', `${vendorLabel(vendor)} has no credentials configured.`),
      );
    }
    if (runner.isRunning())
      return Promise.resolve([
        replyText(ctx.here, safeMd`A sync is already running; I will not start a second one.`, ctx.parentId),
      ]);
    const here = ctx.here;
    const parentId = ctx.parentId;
    const opts =
      vendor === undefined ? { trigger: 'command' as const } : { vendor, trigger: 'command' as const };
    ctx.track(
      runner
        .run(opts)
        .then((report) => ctx.deps.outbox.send([replyText(here, syncResult(report), parentId)])),
    );
    const names = (vendor === undefined ? runner.vendors() : [vendor]).map(vendorLabel).join(', ');
    return Promise.resolve([
      replyText(here, safeMd`Syncing ${names}… I will post the result here.`, parentId),
    ]);
  },
};
