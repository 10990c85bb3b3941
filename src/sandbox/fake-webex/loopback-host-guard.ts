import type { RequestHandler } from 'express';
import { webexError } from './webex-error.js';

/**
 * Refuses any request whose Host is not this server by a loopback name (127.0.0.1, localhost, [::1] with
 * the port): a page on evil.example that re-resolves to 127.0.0.1 (DNS rebinding) sends Host evil.example.
 * Also refuses a request carrying an Origin other than those hosts, so another site's page cannot post to
 * the chat routes either. Applies to every route, the chat page included. `port()` is read per request
 * because the port is known only once the server listens.
 */
export function loopbackHostGuard(port: () => number): RequestHandler {
  return (req, res, next) => {
    const p = port();
    const hosts = ['127.0.0.1', 'localhost', '[::1]'].flatMap((h) =>
      p === 80 ? [`${h}:${p}`, h] : [`${h}:${p}`],
    );
    const host = (req.headers.host ?? '').toLowerCase();
    if (!hosts.includes(host)) {
      webexError(
        res,
        421,
        `This sandbox answers only to Host 127.0.0.1:${p}, localhost:${p} or [::1]:${p} (DNS rebinding protection); open http://127.0.0.1:${p}/`,
      );
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin.toLowerCase() === `http://${h}`)) {
      webexError(res, 403, `Cross-origin requests are refused; use the page at http://127.0.0.1:${p}/`);
      return;
    }
    next();
  };
}
