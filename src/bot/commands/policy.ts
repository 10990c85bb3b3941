import type { PoolPolicy } from '../../domain/ledger.js';
import { describePolicy } from '../../domain/describe-policy.js';
import { vendorLabel } from '../../domain/vendor-label.js';
import { safeMd } from '../../cards/safe-md.js';
import type { Command } from '../command.js';
import { byPhrase } from '../by-phrase.js';
import { ledger } from '../bot-context.js';
import { replyText } from '../reply-card.js';
import { resolvePool } from '../resolve-pool.js';
import { answerError, answerFailure } from '../answer-failure.js';

type Setting = 'approval' | 'min-free' | 'reclaim' | 'auto-limit' | 'write-back';

/** Each setting word, what it accepts, and how a value becomes a policy change (null: not a value it takes). */
const SETTINGS: Readonly<Record<Setting, { hint: string; parse(value: string): Partial<PoolPolicy> | null }>> = {
  approval: {
    hint: 'Approval must be auto or required, e.g. "policy Zoho approval auto".',
    parse: (v) => (v === 'auto' || v === 'required' ? { approval: v } : null),
  },
  'min-free': {
    hint: 'The minimum free seats must be a whole number, e.g. "policy Zoho min-free 2".',
    parse: (v) => (/^\d+$/.test(v) ? { minFreeSeats: Number(v) } : null),
  },
  reclaim: {
    hint: 'Reclaim must be off, ask or auto, e.g. "policy Zoho reclaim ask".',
    parse: (v) => (v === 'off' || v === 'ask' || v === 'auto' ? { reclaim: v } : null),
  },
  'auto-limit': {
    hint: 'The daily auto-approval limit must be a whole number or off, e.g. "policy Zoho auto-limit 5".',
    parse: (v) => (/^\d+$/.test(v) ? { autoApprovalsPerDay: Number(v) } : v === 'off' || v === 'none' ? { autoApprovalsPerDay: null } : null),
  },
  'write-back': {
    hint: 'Write-back must be on or off, e.g. "policy Webex Meetings write-back on".',
    parse: (v) => (v === 'on' ? { writeBack: true } : v === 'off' ? { writeBack: false } : null),
  },
};

/** The setting words as written without spaces or hyphens ("min free", "min-free" → "minfree"). */
const WORDS: ReadonlyMap<string, Setting> = new Map<string, Setting>([
  ['approval', 'approval'],
  ['approvals', 'approval'],
  ['minfree', 'min-free'],
  ['reclaim', 'reclaim'],
  ['autolimit', 'auto-limit'],
  ['writeback', 'write-back'],
]);

export const policy: Command = {
  name: 'policy',
  usage: 'policy <product> [approval auto|required | min-free N | reclaim off|ask|auto | auto-limit N|off | write-back on|off]',
  help: "Show or set a license's policy: approval, low-seat alert, reclaim, daily auto-approval limit, write-back to the vendor.",
  adminOnly: true,
  match: byPhrase(
    [
      '(?:policy|policies)(?: (?:of|for))? {product} (?<setting>approval|approvals|min-free|min free|minfree|reclaim|auto-limit|auto limit|autolimit|write-back|write back|writeback)(?: (?<value>[^ ]+))?',
      '(?:(?:show|see|view|get)(?: me)? )?(?:the )?(?:policy|policies)(?: (?:of|for))? {product}',
    ],
  ),
  run: async (ctx, args) => {
    const found = resolvePool(ctx, args['product']);
    if ('replies' in found) return found.replies;
    const { pool } = found;
    const setting = WORDS.get((args['setting'] ?? '').replace(/[ -]/g, ''));
    if (setting === undefined) return [replyText(ctx.here, safeMd`**${pool.productName}**: ${describePolicy(pool.policy, pool.vendor)}.`, ctx.parentId)];
    const rule = SETTINGS[setting];
    const change = rule.parse(args['value'] ?? '');
    if (change === null) return answerError(ctx, 'Cannot do that', rule.hint);
    const result = await ledger(ctx, { op: 'setPolicy', poolId: pool.id, policy: change });
    if (!result.ok) return answerFailure(ctx, result);
    const idle = change.writeBack === true && ctx.deps.writeBackVendors !== undefined && !ctx.deps.writeBackVendors.includes(pool.vendor);
    const note = idle ? safeMd` Nothing is written to ${vendorLabel(pool.vendor)} until WRITE_BACK_VENDORS includes it.` : safeMd``;
    return [replyText(ctx.here, safeMd`${result.message}${note}`, ctx.parentId)];
  },
};
