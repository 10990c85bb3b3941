import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The part of a fetch `Response` a Webex call reads; a `Response` satisfies it. */
export interface TransportResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  /** The body as text; never rejects on the node:http path (a broken body reads as ''). */
  text(): Promise<string>;
}

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export type Transport = (url: string, request: TransportRequest) => Promise<TransportResponse>;

/** Idle keep-alive sockets close after this (below the usual 5 s server keep-alive, so no reuse race). */
const IDLE_SOCKET_MS = 4_000;

function bodyText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', () => resolve(''));
    res.on('aborted', () => resolve(''));
  });
}

function headerOf(res: IncomingMessage, name: string): string | null {
  const value = res.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Requests over node:http(s) with keep-alive agents (several times cheaper per call than the global fetch).
 * Idle sockets are unref'd by the agent and closed after a few seconds, so they never hold the process open.
 * The timeout is the socket's idle timeout per attempt: the request is destroyed when it passes.
 */
export function createHttpTransport(): Transport {
  const agentOptions = { keepAlive: true, timeout: IDLE_SOCKET_MS };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  return (url, request) =>
    new Promise<TransportResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        { method: request.method, headers, agent: secure ? httpsAgent : httpAgent },
        (res) => {
          const status = res.statusCode ?? 0;
          const text = bodyText(res);
          resolve({
            status,
            ok: status >= 200 && status < 300,
            headers: { get: (name) => headerOf(res, name) },
            text: () => text,
          });
        },
      );
      req.setTimeout(request.timeoutMs, () => {
        const err = new Error(`no answer within ${request.timeoutMs} ms`);
        err.name = 'TimeoutError';
        req.destroy(err);
      });
      req.on('error', reject);
      req.end(request.body);
    });
}
