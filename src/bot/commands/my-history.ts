import { safeMd } from '../../cards/safe-md.js';
import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { historyReply } from '../history-reply.js';
import type { BotContext } from '../bot-context.js';
import type { Reply } from '../chat-event.js';

/** The actor's own seat history: page `page` (chat), or the page after the event `before` (the More button). */
export function myHistoryReply(ctx: BotContext, page: number, before: string | null): Reply[] {
  const view = ctx.deps.store.read();
  const mine = new Set(view.assignmentsOfPerson({ id: ctx.person.id, email: ctx.person.email }).map((s) => s.id));
  const events = view.data.audit.filter((e) => e.assignmentId !== null && mine.has(e.assignmentId) && e.action !== 'attempt.refused');
  return historyReply(ctx, view, events, { title: safeMd`**Your seat history**`, about: 'seat', page, nextCommand: (p) => `history page ${p}`, poolId: null, before });
}

export const myHistory: Command = {
  name: 'history',
  usage: 'history [page N]',
  help: 'What happened to your seats and requests, newest first.',
  adminOnly: false,
  match: byPhrase([
    '(?:(?:show|see|view|get)(?: me)? )?(?:my )?(?:seat |license )?history(?: of my (?:seats|licenses|requests))?(?: page (?<page>\\d+))?',
  ]),
  run: (ctx, args) => {
    const page = Number(args['page'] ?? '1');
    return Promise.resolve(myHistoryReply(ctx, page, null));
  },
};
