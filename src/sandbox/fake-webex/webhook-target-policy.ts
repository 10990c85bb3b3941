/** Host names that always mean this machine. */
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `'loopback'`: any http(s) URL on a loopback host; a list: exactly those URLs (origin and path). */
export type WebhookTargets = readonly string[] | 'loopback';

/** Which `targetUrl`s the fake accepts for webhooks and will POST to. */
export interface WebhookTargetPolicy {
  allows(targetUrl: string): boolean;
  /** Replaces the allowed targets; throws TypeError for a URL that is not http(s) on a loopback host. */
  set(targets: WebhookTargets): void;
  /** For error messages: what would be accepted. */
  describe(): string;
}

function loopbackUrl(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const plain = url.username === '' && url.password === '';
  const web = url.protocol === 'http:' || url.protocol === 'https:';
  return plain && web && LOOPBACK_HOSTNAMES.has(url.hostname) ? url : null;
}

const key = (url: URL): string => `${url.origin}${url.pathname}`;

/**
 * The guard against blind SSRF through the fake API: a page that can call it must not make it POST anywhere
 * but the bot's own receiver. Loopback hosts only, always; with a list, only the listed receiver URLs.
 */
export function createWebhookTargetPolicy(initial: WebhookTargets): WebhookTargetPolicy {
  let allowed: Set<string> | 'loopback' = 'loopback';
  const policy: WebhookTargetPolicy = {
    allows(targetUrl) {
      const url = loopbackUrl(targetUrl);
      if (url === null) return false;
      return allowed === 'loopback' || allowed.has(key(url));
    },
    set(targets) {
      if (targets === 'loopback') {
        allowed = 'loopback';
        return;
      }
      const next = new Set<string>();
      for (const t of targets) {
        const url = loopbackUrl(t);
        if (url === null)
          throw new TypeError(`webhook target ${t} is not an http(s) URL on 127.0.0.1, localhost or [::1]`);
        next.add(key(url));
      }
      allowed = next;
    },
    describe() {
      if (allowed === 'loopback') return 'an http URL on 127.0.0.1, localhost or [::1]';
      if (allowed.size === 0) return "the bot's receiver, which has not been announced yet";
      return `the bot's receiver: ${[...allowed].join(' or ')}`;
    },
  };
  policy.set(initial);
  return policy;
}
