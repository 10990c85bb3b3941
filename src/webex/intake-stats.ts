import type { Clock } from '../clock.js';

/** Where reading an event failed for good. */
export type UnreadStep = 'message' | 'cardAction' | 'person' | 'framework';

/** One event whose content could not be read, as /healthz shows the last of them. */
export interface UnreadEvent {
  at: string;
  resource: string;
  event: string;
  dataId: string;
  step: UnreadStep;
  /** Webex's last answer (null: network error or none). */
  status: number | null;
  trackingId: string | null;
}

/** The intake's counts for /healthz. */
export interface IntakeHealth {
  /** Messages and card actions read and handed to the bot. */
  processed: number;
  /** Events whose content could not be read after every retry (each logged with its tracking id). */
  unread: number;
  unreadBySteps: Record<UnreadStep, number>;
  /** Card clickers told that their click could not be read. */
  clickersTold: number;
  lastUnread: UnreadEvent | null;
}

export interface IntakeStats {
  processed(): void;
  unread(event: Omit<UnreadEvent, 'at'>): UnreadEvent;
  clickerTold(): void;
  snapshot(): IntakeHealth;
}

export function createIntakeStats(clock: Clock): IntakeStats {
  let processed = 0;
  let clickersTold = 0;
  let lastUnread: UnreadEvent | null = null;
  const bySteps: Record<UnreadStep, number> = { message: 0, cardAction: 0, person: 0, framework: 0 };
  return {
    processed() {
      processed += 1;
    },
    unread(event) {
      bySteps[event.step] += 1;
      lastUnread = { at: clock.now().toISOString(), ...event };
      return lastUnread;
    },
    clickerTold() {
      clickersTold += 1;
    },
    snapshot() {
      const unread = Object.values(bySteps).reduce((a, b) => a + b, 0);
      return { processed, unread, unreadBySteps: { ...bySteps }, clickersTold, lastUnread };
    },
  };
}
