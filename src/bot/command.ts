import { MAX_DAYS } from '../domain/ledger-command.js';
import type { Reply } from './chat-event.js';
import type { BotContext } from './bot-context.js';

/** One chat command: how it is recognised, what help says, and what it does. */
export interface Command {
  name: string;
  usage: string;
  help: string;
  adminOnly: boolean;
  /** Parsed arguments when the (normalised) text is this command, else null. */
  match(text: string): Record<string, string | undefined> | null;
  run(ctx: BotContext, args: Record<string, string | undefined>): Promise<Reply[]>;
}

/** Lower-case, trimmed, without trailing punctuation and leading courtesy words. */
export function normalizeText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[?!.]+$/g, '')
    .replace(/^(hey|hi|hello|ok|please|pls|can you|could you)\b[,\s]*/i, '')
    .replace(/^(please|pls)\b\s*/i, '')
    .trim();
}

/** Matches a regular expression (no `g` flag: lastIndex would persist) and returns its named groups. */
export function byPattern(...patterns: RegExp[]): (text: string) => Record<string, string | undefined> | null {
  return (text) => {
    for (const p of patterns) {
      const m = p.exec(text);
      if (m) return { ...(m.groups ?? {}) };
    }
    return null;
  };
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
