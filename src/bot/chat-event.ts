/** The contract between the transport (webex/) and the bot: neutral events in, replies out. */
import type { Iso, SeatAssignment, WaitlistEntry } from '../domain/ledger.js';
import type { LedgerView } from '../domain/ledger-view.js';
import type { PoolReminder } from '../domain/pool-reminder.js';

export interface ChatPerson {
  /** Webex person id, as Webex reported it for this message or card action. */
  id: string;
  /** Primary email, from Webex's people lookup, lower-cased. */
  email: string;
  displayName: string;
}

export type RoomType = 'direct' | 'group';

export type ChatEvent =
  | {
      kind: 'message';
      /** Webex message id. */
      id: string;
      roomId: string;
      roomType: RoomType;
      person: ChatPerson;
      /** Message text with the bot's @mention stripped and whitespace trimmed. */
      text: string;
      /** The message @mentioned the bot (always true in group spaces, where Webex only delivers mentions). */
      mentionedBot: boolean;
      parentId: string | null;
    }
  | {
      kind: 'cardAction';
      /** Webex attachment-action id: the idempotency key of whatever the action changes. */
      id: string;
      /** The card message the button was on. */
      messageId: string;
      roomId: string;
      roomType: RoomType;
      /** From Webex's attachment action and people lookup, never from the inputs. */
      person: ChatPerson;
      /** Card inputs merged with the Action.Submit data, as Webex returns them: untrusted. */
      inputs: Record<string, unknown>;
    }
  | { kind: 'botAdded'; roomId: string; roomType: RoomType; title: string | null; addedBy: string | null };

export type ReplyTarget = { roomId: string } | { personId: string } | { personEmail: string };

export interface Reply {
  to: ReplyTarget;
  /** Always present: the text fallback for clients without cards. Max 7439 bytes (UTF-8). */
  markdown: string;
  /** One Adaptive Card (1.3) to attach, or none. */
  card?: Record<string, unknown>;
  /**
   * Reply in the thread of this message (e.g. the card that was clicked). It need not be top-level: the
   * transport posts under the thread's top-level message, as Webex requires, and posts unthreaded if Webex
   * refuses the parent.
   */
  parentId?: string;
}

/** Sends replies to Webex; the send queue implements it. */
export interface Outbox {
  send(replies: readonly Reply[]): Promise<void>;
}

/** How one scheduled notice went: sent, or why not (`not_found` 404, `forbidden` 403, or another failure). */
export type NoticeDelivery = { ok: true } | { ok: false; failure: string };

/** The outbox the jobs are given: `deliver` reports each reply's outcome, in order, and never rejects. */
export interface JobOutbox extends Outbox {
  deliver(replies: readonly Reply[]): Promise<readonly NoticeDelivery[]>;
}

/**
 * What the bot says unprompted, as the scheduled jobs see it: jobs decide when and to whom, the bot
 * decides the words and cards. Views and seats are the ledger's (domain) types.
 */
export interface BotNotices {
  /** The digest card for one space that turned the digest on. */
  digest(view: LedgerView, now: Iso, space: { roomId: string; title: string | null; since?: Iso | null }): Reply;
  /** Tells the holder their time-bound seat has ended. */
  seatExpired(view: LedgerView, seat: SeatAssignment, now: Iso): Reply;
  /** Warns the holder their time-bound seat ends soon, with an Extend button. */
  seatEndingSoon(view: LedgerView, seat: SeatAssignment, now: Iso): Reply;
  /** Asks the holder of a seat unused for `idleDays` whether they still need it, with Keep and Release buttons. */
  idleSeatQuestion(view: LedgerView, seat: SeatAssignment, now: Iso, idleDays: number): Reply;
  /** Tells the holder and the admins that an idle, unanswered bot-granted seat was released (reclaim 'auto'). */
  idleSeatReleased(view: LedgerView, seat: SeatAssignment, now: Iso, idleDays: number): Reply[];
  /** Tells the admins of an idle seat the bot cannot release (vendor-held); its holder is not asked. */
  idleSeatReport(view: LedgerView, seat: SeatAssignment, now: Iso, idleDays: number): Reply[];
  /** Tells the requester their request was closed after waiting `ttlDays` for an admin. */
  requestExpired(view: LedgerView, seat: SeatAssignment, ttlDays: number): Reply;
  /** Tells the holder their extension request was closed after waiting `ttlDays` (the seat keeps its end). Absent: no message. */
  extensionExpired?(view: LedgerView, seat: SeatAssignment, ttlDays: number): Reply;
  /** Tells a waiting person a freed seat is held for them (24 h) and how to claim it. Absent: no message. */
  waitlistOffer?(view: LedgerView, entry: WaitlistEntry, now: Iso): Reply;
  /** Tells the admins (admin space, or each admin) of a pool's coming expiry or renewal, or of low seats. */
  poolReminder(view: LedgerView, reminder: PoolReminder): Reply[];
  /** Reminds the admins (admin space, or each admin) of the requests waiting for them. */
  pendingReminder(view: LedgerView, now: Iso): Reply[];
  /** Tells the admins (admin space, or each admin) that the bot had to switch its Webex webhooks back on. */
  webhooksRepaired(repairs: readonly WebhookRepair[], now: Iso): Reply[];
}

/** A Webex webhook of the bot's that the webhook check found switched off (reactivated) or gone (recreated). */
export interface WebhookRepair {
  action: 'reactivated' | 'recreated';
  /** `all` for the firehose (messages, memberships, rooms), `attachmentActions` for card clicks. */
  resource: string;
  event: string;
}

/** The bot as the transport sees it. */
export interface ChatHandler {
  handle(event: ChatEvent): Promise<Reply[]>;
}
