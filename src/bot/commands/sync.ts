import type { Vendor } from '../../domain/ledger.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { replyText } from '../reply-card.js';
import { answerError } from '../answer-failure.js';
import { countOf } from '../../cards/count-of.js';

const ALIASES: Record<string, Vendor> = { webex: 'webex', meraki: 'meraki', zoho: 'zoho_crm', 'zoho crm': 'zoho_crm', zoho_crm: 'zoho_crm', cpod: 'cpod' };

export const sync: Command = {
  name: 'sync',
  usage: 'sync [webex|meraki|zoho|cpod]',
  help: 'Fetch seat counts from the vendors now.',
  adminOnly: true,
  match: byPattern(/^(sync|refresh|resync)(?: (?<vendor>[\w ]+?))?( now)?$/i),
  run: (ctx, args) => {
    const runner = ctx.deps.sync;
    if (!runner || runner.vendors().length === 0) {
      return Promise.resolve(answerError(ctx, 'No vendors', 'No vendor is configured: set a vendor\'s credentials (see the README).'));
    }
    const word = args['vendor']?.toLowerCase();
    const vendor = word === undefined || word === 'all' ? undefined : ALIASES[word];
    if (word !== undefined && word !== 'all' && vendor === undefined) {
      return Promise.resolve(answerError(ctx, 'Unknown vendor', `"${word}" is not a vendor. Choose one of: webex, meraki, zoho, cpod.`));
    }
    if (vendor !== undefined && !runner.vendors().includes(vendor)) {
      return Promise.resolve(answerError(ctx, 'Not configured', `${vendorLabel(vendor)} has no credentials configured.`));
    }
    if (runner.isRunning()) return Promise.resolve([replyText(ctx.here, 'A sync is already running; I will not start a second one.', ctx.parentId)]);
    const here = ctx.here;
    const parentId = ctx.parentId;
    const opts = vendor === undefined ? { trigger: 'command' as const } : { vendor, trigger: 'command' as const };
    ctx.track(
      runner.run(opts).then((report) => {
        const lines = report.vendors.map(({ vendor: v, run }) =>
          run.status === 'ok'
            ? `- **${vendorLabel(v)}**: ok (${run.summary?.poolsAdded ?? 0} added, ${run.summary?.poolsUpdated ?? 0} updated, ${run.summary?.poolsRetired ?? 0} retired, ${countOf(run.summary?.drift ?? 0, 'drift finding')})`
            : `- **${vendorLabel(v)}**: ${run.status}${run.error ? ` — ${run.error.message}` : ''}`,
        );
        return ctx.deps.outbox.send([replyText(here, [report.message, ...lines].join('\n'), parentId)]);
      }),
    );
    return Promise.resolve([replyText(here, `Syncing ${(vendor === undefined ? runner.vendors() : [vendor]).map(vendorLabel).join(', ')}… I will post the result here.`, parentId)]);
  },
};
