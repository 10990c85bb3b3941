/** What a webhook check found and did (webhook-doctor.ts), as /healthz and the webhook-check job see it. */

/** One of our webhooks as the last check left it. */
export interface WebhookState {
  id: string;
  resource: string;
  event: string;
  status: string;
  targetUrl: string;
}

export interface WebhookRepair {
  action: 'reactivated' | 'recreated';
  resource: string;
  event: string;
  webhookId: string;
}

export interface WebhookCheckReport {
  /** Every webhook of ours is active (after repairs). */
  ok: boolean;
  at: string;
  webhooks: WebhookState[];
  /** What this check had to do. */
  repairs: WebhookRepair[];
  /** Webhooks of the token that are not ours (left alone). */
  others: number;
  /** Why the check or a repair failed, in words with Webex's status and tracking id. */
  errors: string[];
}

export interface WebhookHealth {
  /** Our webhooks' name (base64 of host:port and the bot's email). */
  name: string;
  checks: number;
  repairs: number;
  lastCheck: WebhookCheckReport | null;
  /** The last repair made, with its time. */
  lastRepair: (WebhookRepair & { at: string }) | null;
}
