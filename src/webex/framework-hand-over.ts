import { frameworkWebhookRequest } from './framework-webhook-request.js';
import { createKeyedFifo } from './keyed-fifo.js';
import type { WebhookEnvelope } from './receiver.js';

export interface FrameworkHandOverDeps {
  /** The framework's webhook handler; settles once the event's reads and emits are done. */
  handleWebhook: (req: { body: unknown; headers: Record<string, string | undefined> }) => Promise<unknown>;
  webhookSecret: string;
  /** Tasks started by framework events, per envelope data.id, while that envelope is being handed over. */
  waiting: Map<string, Promise<void>[]>;
}

/**
 * Hands a verified envelope to the framework and resolves with the tasks its events started (none: the framework
 * dropped it). One hand-over at a time per space: the framework drops an event for a space it is still
 * discovering (framework.spawn's roomsSpawningNow), so a second event waits for the first one's discovery.
 */
export function createFrameworkHandOver(
  deps: FrameworkHandOverDeps,
): (envelope: WebhookEnvelope) => Promise<Promise<void>[]> {
  const perRoom = createKeyedFifo();
  return (envelope) => {
    const key = envelope.data.id;
    const roomId = typeof envelope.data.roomId === 'string' ? envelope.data.roomId : key;
    return perRoom.run(roomId, async () => {
      const mine: Promise<void>[] = [];
      const owner = !deps.waiting.has(key);
      if (owner) deps.waiting.set(key, mine);
      try {
        await deps.handleWebhook(frameworkWebhookRequest(envelope, deps.webhookSecret));
      } finally {
        if (owner) deps.waiting.delete(key);
      }
      return mine;
    });
  };
}
