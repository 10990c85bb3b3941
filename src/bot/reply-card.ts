import { renderCard } from '../cards/render-card.js';
import type { CardDataMap, CardName } from '../cards/card-data.js';
import type { Reply, ReplyTarget } from './chat-event.js';

/** A reply carrying one rendered card and its text fallback. */
export function replyCard<N extends CardName>(to: ReplyTarget, name: N, data: CardDataMap[N], parentId?: string | null): Reply {
  const { card, markdown } = renderCard(name, data);
  return parentId ? { to, markdown, card, parentId } : { to, markdown, card };
}

export function replyText(to: ReplyTarget, markdown: string, parentId?: string | null): Reply {
  return parentId ? { to, markdown, parentId } : { to, markdown };
}
