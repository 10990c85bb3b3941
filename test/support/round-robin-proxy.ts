import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A load balancer for e2e tests: one URL in front of several bot instances. */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  /** How many requests each upstream answered, in the order given. */
  readonly answered: readonly number[];
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/**
 * Forwards each request to the next of `upstreams` (round robin). An upstream that refuses the connection
 * (a killed instance) is skipped and the same request goes to the next, so the proxy keeps answering while
 * one instance is down; only when every upstream refuses does it answer 502. The body is buffered so it can
 * be sent again. A request an upstream accepted and then dropped (killed mid-request) is not retried, since
 * it may have been processed: it is answered 502, as a real balancer would.
 */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  if (upstreams.length === 0) throw new TypeError('startRoundRobinProxy: at least one upstream URL is required');
  const targets = upstreams.map((u) => new URL(u));
  const answered = targets.map(() => 0);
  let next = 0;

  const forward = (index: number, req: IncomingMessage, body: Buffer, res: ServerResponse, tried: number): void => {
    const target = targets[index]!;
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host, connection: 'close' };
    const upstream = request(
      // A fresh connection per request: a killed upstream leaves no pooled socket behind.
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (answer) => {
        answered[index]! += 1;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED' && tried + 1 < targets.length) {
        forward((index + 1) % targets.length, req, body, res, tried + 1);
      } else if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'PROXY_UPSTREAM_FAILED', message: `${err.code ?? err.message}` } }));
      } else {
        res.destroy(err);
      }
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const index = next;
      next = (next + 1) % targets.length;
      forward(index, req, Buffer.concat(chunks), res, 0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
