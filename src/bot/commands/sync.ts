import type { Vendor } from '../../domain/ledger.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { answerError } from '../answer-failure.js';
import { startOrFollowSync } from '../sync-follow-through.js';

/** Words people use for a vendor. A Map: "sync constructor" must not find Object's own properties. */
const ALIASES: ReadonlyMap<string, Vendor> = new Map([
  ['webex', 'webex'],
  ['meraki', 'meraki'],
  ['zoho', 'zoho_crm'],
  ['zoho crm', 'zoho_crm'],
  ['zoho_crm', 'zoho_crm'],
  ['cpod', 'cpod'],
]);

export const sync: Command = {
  name: 'sync',
  usage: 'sync [webex|meraki|zoho|cpod]',
  help: 'Fetch seat counts from the vendors now.',
  adminOnly: true,
  match: byPhrase([
    '(?:sync|resync|re sync|refresh|reload)(?: (?:now|again|all|everything|all vendors|the vendors|vendors|the data|data|licenses|the licenses|seats|seat counts|counts))*',
    '(?:sync|resync|re sync|refresh|reload)(?: (?:the )?(?:data|licenses|seats|seat counts|counts))?(?: (?:from|with|for|of|on))? (?:the )?(?<vendor>[a-z0-9_]+(?: crm)?)(?: (?:data|licenses|seats|vendor))?(?: now| again)?',
  ], (args) => (args['vendor'] === 'everything' ? {} : args)),
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
    return Promise.resolve(startOrFollowSync(ctx, runner, vendor));
  },
};
