/** What the intake read from Webex for one event, served to the framework instead of a second fetch. */
export type HydratedKind = 'message' | 'attachmentAction' | 'person';

export interface HydratedContent {
  /** Holds `value` for `id` until the returned release is called (shared and counted when primed twice). */
  prime(kind: HydratedKind, id: string, value: Record<string, unknown>): () => void;
  /** A fresh copy of the primed value, or undefined. */
  get(kind: HydratedKind, id: string): Record<string, unknown> | undefined;
  /** Entries held now (they live only while their event is handed to the framework). */
  readonly size: number;
}

/**
 * The bridge between the event intake, which reads a message, card action and person with retries, and the
 * framework, whose own reads of them (patched in serveHydratedContent) are answered from here. Entries live only
 * while an event is being handed over, so memory is bounded by the events in flight.
 */
export function createHydratedContent(): HydratedContent {
  const entries = new Map<string, { value: Record<string, unknown>; holds: number }>();
  const keyOf = (kind: HydratedKind, id: string): string => `${kind}:${id}`;
  return {
    prime(kind, id, value) {
      const key = keyOf(kind, id);
      const entry = entries.get(key);
      if (entry === undefined) entries.set(key, { value, holds: 1 });
      else {
        entry.value = value;
        entry.holds += 1;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const held = entries.get(key);
        if (held === undefined) return;
        held.holds -= 1;
        if (held.holds <= 0) entries.delete(key);
      };
    },
    get(kind, id) {
      const entry = entries.get(keyOf(kind, id));
      return entry === undefined ? undefined : structuredClone(entry.value);
    },
    get size() {
      return entries.size;
    },
  };
}
