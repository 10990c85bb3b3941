import type { HydratedContent, HydratedKind } from './hydrated-content.js';
import { isRecord } from './is-record.js';

type SdkMethod = (...args: unknown[]) => Promise<unknown>;

const SERVED: readonly (readonly [string, HydratedKind])[] = [
  ['messages', 'message'],
  ['attachmentActions', 'attachmentAction'],
  ['people', 'person'],
];

/** The id an SDK `get` is asked for: a string, or an object with `personId` or `id`. */
function idOf(arg: unknown): string | null {
  if (typeof arg === 'string') return arg;
  if (!isRecord(arg)) return null;
  const id = arg.personId ?? arg.id;
  return typeof id === 'string' ? id : null;
}

/**
 * Makes the SDK's `messages.get`, `attachmentActions.get` and `people.get` answer from what the event intake
 * already read (with retries) for the event being handed over, so the framework neither fetches it again
 * nor loses the event when that second fetch fails. Anything not primed goes to the SDK as before.
 */
export function serveHydratedContent(webex: unknown, hydrated: HydratedContent): void {
  if (!isRecord(webex)) return;
  for (const [plugin, kind] of SERVED) {
    const target = webex[plugin];
    if (!isRecord(target) || typeof target.get !== 'function') continue;
    const original = (target.get as SdkMethod).bind(target);
    target.get = (...args: unknown[]): Promise<unknown> => {
      const id = idOf(args[0]);
      const primed = id === null ? undefined : hydrated.get(kind, id);
      return primed === undefined ? original(...args) : Promise.resolve(primed);
    };
  }
}
