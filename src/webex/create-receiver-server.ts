import { createServer, type RequestListener, type Server } from 'node:http';
import type { Logger } from '../log.js';
import type { ReceiverLimits } from './receiver-limits.js';

/** How long one warning about refused connections covers. */
const DROP_LOG_WINDOW_MS = 10_000;

/**
 * An HTTP server that enforces `limits`: header, whole-request and keep-alive timeouts (a slow-loris client
 * is cut off with 408 and closed) and a cap on open connections. Node checks the header and request
 * timeouts on an interval, so it is kept well below the shortest of them.
 */
export function createReceiverServer(
  listener: RequestListener,
  limits: ReceiverLimits,
  logger: Logger,
): Server {
  const shortest = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(shortest / 4))),
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;

  // One warning per window, however many connections an attacker opens.
  let dropped = 0;
  server.on('drop', () => {
    dropped += 1;
    if (dropped > 1) return;
    logger.warn(
      { maxConnections: limits.maxConnections },
      'receiver at its connection limit: closing new connections',
    );
    setTimeout(() => {
      if (dropped > 1)
        logger.warn({ dropped, windowMs: DROP_LOG_WINDOW_MS }, 'receiver closed connections over its limit');
      dropped = 0;
    }, DROP_LOG_WINDOW_MS).unref();
  });
  return server;
}
