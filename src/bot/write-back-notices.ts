import { VENDORS } from '../domain/ledger.js';
import { describeProvision } from '../domain/provision-state.js';
import { vendorLabel } from '../domain/vendor-label.js';
import { who } from '../domain/seat-rules.js';
import { safeMd } from '../cards/safe-md.js';
import type { WriteBackNotices } from '../provisioning/write-back-notices.js';
import type { BotAccess } from './bot-deps.js';
import { adminTargets, holderTarget } from './notify-targets.js';
import { replyCard, replyText } from './reply-card.js';
import { personText, poolRef } from './card-views.js';

/**
 * The bot's words for write-back: the holder learns when the license is really theirs (assigned, or waiting for
 * their acceptance) or that the vendor refused; the admins learn of refusals (with what to say to retry or cancel)
 * and, once per hold, that write-back paused.
 */
export function createWriteBackNotices(access: BotAccess, timeZone?: string): WriteBackNotices {
  return {
    settled(view, intent, seat, now) {
      const product = view.pool(seat.poolId)?.productName ?? seat.poolId;
      const at = vendorLabel(intent.vendor);
      const state = describeProvision(intent);
      if (intent.op === 'add' && intent.status === 'done') {
        return [replyText(holderTarget(seat), safeMd`Your **${product}** license is now yours: ${state}.`)];
      }
      if (intent.op === 'add' && intent.status === 'pending_acceptance') {
        return [replyText(holderTarget(seat), safeMd`Your **${product}** license is assigned in ${at}, ${state}: accept the invitation ${at} sent you to start using it.`)];
      }
      if (intent.status === 'refused') {
        const holder = intent.op === 'add' ? [replyText(holderTarget(seat), safeMd`Your **${product}** seat is approved, but ${state}. The admins have been told.`)] : [];
        // A card with Retry and Cancel; its text fallback names the chat words that do the same.
        const words = safeMd`**${product}** for ${who(seat)}: ${state}. Press Retry or Cancel on the card, or say "write-back retry ${product} for ${seat.assignee.email ?? seat.assignee.id}".`;
        const admins = adminTargets(access).map((to) => {
          const card = replyCard(to, 'decision', {
            kind: 'write_back_refused',
            pool: poolRef(view.pool(seat.poolId), seat.poolId),
            holder: personText(view, seat),
            actor: null,
            at: now,
            ...(timeZone === undefined ? {} : { timeZone }),
            seats: seat.seats,
            note: state,
            expiresAt: seat.expiresAt,
            writeBack: { intentId: intent.id },
          });
          return { ...card, markdown: replyText(to, words).markdown };
        });
        return [...holder, ...admins];
      }
      return [];
    },
    held(_view, hold) {
      const vendor = VENDORS.find((v) => v === hold.id);
      const what = vendor === undefined ? 'Seat removals at the vendors are paused' : `Write-back to ${vendorLabel(vendor)} is paused`;
      return adminTargets(access).map((to) => replyText(to, safeMd`**${what}**: ${hold.reason}. Fix the cause, then say "write-back resume".`));
    },
  };
}
