import type { WebhookEnvelope } from './receiver.js';
import { signBody } from './sign-body.js';

/**
 * The request handed to the framework's webhook handler for an envelope the receiver already verified.
 * The receiver verified the raw bytes. The framework re-checks an HMAC over JSON.stringify(body), which
 * differs from what Webex signed when the sender's serialization differs (indentation, escaping), so
 * give it a signature over exactly that string.
 */
export function frameworkWebhookRequest(
  envelope: WebhookEnvelope,
  webhookSecret: string,
): { body: WebhookEnvelope; headers: { 'x-spark-signature': string } } {
  const body = JSON.stringify(envelope);
  return {
    body: envelope,
    headers: { 'x-spark-signature': signBody(body, webhookSecret) },
  };
}
