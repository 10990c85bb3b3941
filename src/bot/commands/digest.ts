import type { Command } from '../command.js';
import { byPattern } from '../command.js';
import { ledger } from '../bot-context.js';
import { replyText } from '../reply-card.js';
import { answerFailure } from '../answer-failure.js';
import { safeMd } from '../../cards/safe-md.js';

export const digest: Command = {
  name: 'digest',
  usage: 'digest on|off',
  help: 'Daily license digest in this space.',
  adminOnly: false,
  match: byPattern(/^(daily )?digest (?<state>on|off|enable|disable|start|stop)$/i),
  run: async (ctx, args) => {
    const on = ['on', 'enable', 'start'].includes((args['state'] ?? '').toLowerCase());
    const result = await ledger(ctx, { op: 'setDigest', roomId: ctx.roomId, digest: on });
    return result.ok ? [replyText(ctx.here, safeMd`${result.message}`, ctx.parentId)] : answerFailure(ctx, result);
  },
};
