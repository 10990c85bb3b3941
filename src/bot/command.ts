import { MAX_DAYS } from '../domain/ledger-command.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';

/** One chat command: how it is recognised, what help says, and what it does. */
export interface Command {
  name: string;
  usage: string;
  help: string;
  adminOnly: boolean;
  /** Parsed arguments when the text (normalizeText of the message) is this command, else null. */
  match(text: string): Record<string, string | undefined> | null;
  run(ctx: BotContext, args: Record<string, string | undefined>): Promise<Reply[]>;
}

/**
 * The message as the commands get it: Unicode NFKC (full-width letters and punctuation become plain ones),
 * Webex's mailto links as the bare email, single spaces. Case, punctuation and emoji are kept here, because a
 * reason is stored as written; each command matches on `normalizeCommandText` of this text.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\[([^\]]*)\]\(mailto:[^)]*\)/gi, '$1')
    .replace(/<?mailto:([^\s>]+)>?/gi, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The optional "for N days" argument: null when absent, undefined when not a whole number from 1 to MAX_DAYS. */
export function parseDays(text: string | undefined): number | null | undefined {
  if (text === undefined) return null;
  const days = Number(text);
  return Number.isInteger(days) && days >= 1 && days <= MAX_DAYS ? days : undefined;
}

export const DAYS_HINT = `The number of days must be a whole number from 1 to ${MAX_DAYS}.`;

/** Webex turns emails into markdown links: "[a@b.c](mailto:a@b.c)" or "mailto:a@b.c". */
export function stripMailto(s: string): string {
  const link = /^\[([^\]]+)\]\(mailto:[^)]+\)$/.exec(s);
  return (link?.[1] ?? s).replace(/^mailto:/i, '').replace(/[<>]/g, '');
}
