import type { LicensePool } from '../domain/ledger.js';
import { safeMd } from '../cards/safe-md.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import { replyText } from './reply-card.js';

/** Phrasings to try, `<product>` standing for a real license (the phrasing test checks each one parses). */
export const POINTER_EXAMPLES = [
  'licenses',
  'how many <product> seats are left?',
  'I need <product> for 2 weeks',
] as const;

/** A license to show in the examples: the shortest live name of two or more words (a demo-like one). */
function exampleProduct(pools: readonly LicensePool[]): string {
  let best: string | undefined;
  for (const p of pools) {
    if (p.retired || !/\S\s+\S/.test(p.productName) || p.productName.length > 40) continue;
    if (best === undefined || p.productName.length < best.length) best = p.productName;
  }
  return best ?? 'Zoho CRM';
}

/**
 * The short answer to a message that names no license and fits no command ("what is the weather today", or
 * only "hi"): what the bot is for, three things to say, and **help**. Never "I know no license called …".
 */
export function helpPointer(ctx: BotContext, opening: 'greeting' | 'unknown'): Reply[] {
  const product = exampleProduct(ctx.deps.store.read().pools());
  const [a, b, c] = POINTER_EXAMPLES.map((e) => e.replace('<product>', product));
  const first =
    opening === 'greeting'
      ? safeMd`Hi! I manage software-license seats.`
      : safeMd`I did not understand that.`;
  return [
    replyText(
      ctx.here,
      safeMd`${first} Try "${a ?? ''}", "${b ?? ''}" or "${c ?? ''}", or say **help** for everything I can do.`,
      ctx.parentId,
    ),
  ];
}
