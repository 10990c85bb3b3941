import { renderCard } from '../cards/render-card.js';
import type { CardDataMap, CardName } from '../cards/card-data.js';
import { fitMarkdown } from '../cards/fit-markdown.js';
import type { Markdown } from '../cards/safe-md.js';
import type { Reply, ReplyTarget } from './chat-event.js';

/** A reply carrying one rendered card and its text fallback. */
export function replyCard<N extends CardName>(to: ReplyTarget, name: N, data: CardDataMap[N], parentId?: string | null): Reply {
  const { card, markdown } = renderCard(name, data);
  return parentId ? { to, markdown, card, parentId } : { to, markdown, card };
}

/** A plain reply: only markdown built with safeMd`…` (every interpolation escaped), kept under Webex's size limit. */
export function replyText(to: ReplyTarget, text: Markdown, parentId?: string | null): Reply {
  const markdown = fitMarkdown(text.text.split('\n'));
  return parentId ? { to, markdown, parentId } : { to, markdown };
}
