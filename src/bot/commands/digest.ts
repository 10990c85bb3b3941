import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { ledger } from '../bot-context.js';
import { replyText } from '../reply-card.js';
import { answerFailure } from '../answer-failure.js';
import { safeMd } from '../../cards/safe-md.js';

/** What "turn the digest on" is said with; every other state word turns it off. */
const ON_WORDS = new Set(['on', 'enable', 'enabled', 'start', 'turn on', 'switch on', 'subscribe to', 'resume', 'activate', 'i want', 'send me', 'send us', 'post']);

export const digest: Command = {
  name: 'digest',
  usage: 'digest on|off',
  help: 'Daily license digest in this space.',
  adminOnly: false,
  match: byPhrase([
    '(?:the )?(?:daily )?(?:digest|summary|report) (?<state>on|off|enable|disable|enabled|disabled|start|stop)(?: here| in this space)?',
    '(?<state>turn on|turn off|switch on|switch off|enable|disable|start|stop|subscribe to|unsubscribe from|pause|resume|activate|deactivate|cancel)(?: the| a| my| our)?(?: daily)? (?:digest|summary|report)(?: here| in this space| for this space)?',
    '(?:turn|switch) (?:the |a )?(?:daily )?(?:digest|summary|report) (?<state>on|off)',
    '(?<state>i want|send me|send us|post)(?: the| a)? daily (?:digest|summary|report)(?: here)?',
  ], (args) => ({ state: ON_WORDS.has(args['state'] ?? '') ? 'on' : 'off' })),
  run: async (ctx, args) => {
    const on = ['on', 'enable', 'start'].includes((args['state'] ?? '').toLowerCase());
    const result = await ledger(ctx, { op: 'setDigest', roomId: ctx.roomId, digest: on });
    return result.ok ? [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)] : answerFailure(ctx, result);
  },
};
