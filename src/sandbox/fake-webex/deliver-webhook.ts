import { signBody } from '../../webex/sign-body.js';
import type { FakeDelivery, FakeWebexState, FakeWebhook } from './fake-state.js';

/** Resources the firehose (`resource:"all"`) covers; attachmentActions need their own webhook. */
const FIREHOSE_RESOURCES = new Set(['messages', 'memberships', 'rooms']);

export interface WebhookEvent {
  resource: string;
  event: string;
  actorId: string;
  data: Record<string, unknown>;
}

/** The envelope Webex POSTs (doc 1.1): webhook fields, `actorId`, and `data` without content. */
export function buildEnvelope(
  state: FakeWebexState,
  webhook: FakeWebhook,
  ev: WebhookEvent,
): Record<string, unknown> {
  return {
    id: webhook.id,
    name: webhook.name,
    targetUrl: webhook.targetUrl,
    resource: ev.resource,
    event: ev.event,
    ...(webhook.filter === undefined ? {} : { filter: webhook.filter }),
    orgId: state.orgId,
    createdBy: webhook.createdBy,
    appId: webhook.appId,
    ownedBy: webhook.ownedBy,
    status: 'active',
    created: webhook.created,
    actorId: ev.actorId,
    data: ev.data,
  };
}

function filterMatches(
  state: FakeWebexState,
  filter: string | undefined,
  data: Record<string, unknown>,
): boolean {
  if (filter === undefined || filter === '') return true;
  return filter.split('&').every((pair) => {
    const [key = '', raw = ''] = pair.split('=');
    const want = decodeURIComponent(raw);
    const have = data[key];
    if (key === 'mentionedPeople') {
      const id = want === 'me' ? state.bot.id : want;
      return Array.isArray(have) && have.includes(id);
    }
    return typeof have === 'string' || typeof have === 'boolean' ? String(have) === want : false;
  });
}

/**
 * Counts a failed delivery to `w`; at the policy's count within its window the webhook is switched to
 * `inactive` (and no longer delivered to), as Webex does after 100 failures in 5 minutes.
 */
export function recordDeliveryFailure(state: FakeWebexState, w: FakeWebhook, nowMs: number): void {
  const { failures, windowMs } = state.webhookDisable;
  const recent = (state.webhookFailures.get(w.id) ?? []).filter((t) => nowMs - t < windowMs);
  recent.push(nowMs);
  state.webhookFailures.set(w.id, recent);
  if (recent.length >= failures) w.status = 'inactive';
}

/** Active webhooks that Webex would call for this event (an inactive webhook gets nothing). */
export function webhooksFor(state: FakeWebexState, ev: WebhookEvent): FakeWebhook[] {
  return [...state.webhooks.values()].filter((w) => {
    if (w.status !== 'active') return false;
    const resourceOk =
      w.resource === ev.resource || (w.resource === 'all' && FIREHOSE_RESOURCES.has(ev.resource));
    const eventOk = w.event === 'all' || w.event === ev.event;
    return resourceOk && eventOk && filterMatches(state, w.filter, ev.data);
  });
}

/**
 * POSTs the event to every matching webhook like Webex: compact `JSON.stringify(envelope)`, signed with the
 * webhook's secret in `X-Spark-Signature`. Only to targets `allowsTarget` accepts (checked again here, not
 * only at registration), and redirects are not followed. Records each attempt in `state.deliveries`; a failed
 * one (non-2xx, no answer, target refused) counts towards switching the webhook off (recordDeliveryFailure).
 * Never throws.
 */
export async function deliverWebhookEvent(
  state: FakeWebexState,
  ev: WebhookEvent,
  fetchImpl: typeof fetch,
  allowsTarget: (targetUrl: string) => boolean,
  nowMs: () => number,
): Promise<FakeDelivery[]> {
  const targets = webhooksFor(state, ev);
  return Promise.all(
    targets.map(async (w) => {
      const body = JSON.stringify(buildEnvelope(state, w, ev));
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (w.secret !== undefined) headers['x-spark-signature'] = signBody(body, w.secret);
      const delivery: FakeDelivery = {
        webhookId: w.id,
        resource: ev.resource,
        event: ev.event,
        dataId: typeof ev.data.id === 'string' ? ev.data.id : '',
        status: null,
        error: null,
      };
      if (!allowsTarget(w.targetUrl)) {
        delivery.error = 'target not allowed: the sandbox delivers only to the bot receiver';
        state.deliveries.push(delivery);
        recordDeliveryFailure(state, w, nowMs());
        return delivery;
      }
      try {
        const res = await fetchImpl(w.targetUrl, { method: 'POST', headers, body, redirect: 'error' });
        await res.arrayBuffer();
        delivery.status = res.status;
      } catch (err) {
        delivery.error = err instanceof Error ? err.message : String(err);
      }
      state.deliveries.push(delivery);
      if (delivery.status === null || delivery.status < 200 || delivery.status > 299) {
        recordDeliveryFailure(state, w, nowMs());
      }
      return delivery;
    }),
  );
}
