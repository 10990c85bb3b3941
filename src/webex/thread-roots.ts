import type { Logger } from '../log.js';

/** What Webex says about a message: its thread parent, or null when it is top-level. */
export type ParentLookup = (messageId: string) => Promise<{ parentId: string | null } | null>;

export interface ThreadRoots {
  /**
   * The top-level message of `messageId`'s thread: from the cache, else read from Webex (`GET /messages/{id}`:
   * a reply carries its `parentId`, which Webex keeps top-level). When Webex cannot say (message gone, lookup
   * failed) the id itself is returned; a refused parent is then handled by the sender.
   */
  rootOf(messageId: string): Promise<string>;
  /** Records the root of a message we posted or read. */
  remember(messageId: string, rootId: string): void;
  /** Drops a message Webex refused as a parent. */
  forget(messageId: string): void;
}

/**
 * A bounded, least-recently-used map from message id to thread root, filled by our own posts and, on a miss
 * (after a restart or eviction), by one lookup per message. Concurrent misses for one id share the lookup.
 */
export function createThreadRoots(options: { lookup: ParentLookup; max: number; log: Logger }): ThreadRoots {
  const roots = new Map<string, string>();
  const inFlight = new Map<string, Promise<string>>();
  const max = Math.max(1, options.max);

  const remember = (messageId: string, rootId: string): void => {
    if (messageId === '') return;
    roots.delete(messageId);
    roots.set(messageId, rootId);
    while (roots.size > max) {
      const oldest = roots.keys().next();
      if (oldest.done === true) break;
      roots.delete(oldest.value);
    }
  };

  const read = async (messageId: string): Promise<string> => {
    let found: { parentId: string | null } | null;
    try {
      found = await options.lookup(messageId);
    } catch (err) {
      options.log.warn({ err, messageId }, 'thread root lookup failed');
      found = null;
    }
    // Not cached: the next reply to it asks again (the message may be back, or the lookup may succeed).
    if (found === null) return messageId;
    const root = found.parentId ?? messageId;
    remember(messageId, root);
    if (root !== messageId) remember(root, root);
    return root;
  };

  return {
    rootOf(messageId) {
      const known = roots.get(messageId);
      if (known !== undefined) {
        remember(messageId, known);
        return Promise.resolve(known);
      }
      const pending = inFlight.get(messageId);
      if (pending) return pending;
      const started = read(messageId).finally(() => inFlight.delete(messageId));
      inFlight.set(messageId, started);
      return started;
    },
    remember,
    forget(messageId) {
      roots.delete(messageId);
    },
  };
}
