import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, Request, RequestHandler } from 'express';
import type { Clock } from '../../clock.js';
import type { EmulatorFaults, EmulatorRequestLogEntry } from './emulator-faults.js';

/** One request as the bearer-token emulators (cPod, Zoho) record it: what was asked and with which credential. */
export interface AuthRequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | null;
}

/** The string query parameters of a request (repeated or nested ones are left out). */
export function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Records each request on arrival: method, path, query and Authorization header. */
export function logRequestsWithAuth(log: AuthRequestLogEntry[]): RequestHandler {
  return (req, _res, next) => {
    log.push({ method: req.method, path: req.path, query: queryOf(req), authorization: req.get('authorization') ?? null });
    next();
  };
}

/** Records each request when its answer is sent: method, URL, status and arrival time on `clock`. */
export function logFinishedRequests(log: EmulatorRequestLogEntry[], clock: Clock): RequestHandler {
  return (req, res, next) => {
    const at = clock.now().getTime();
    res.on('finish', () => log.push({ method: req.method, url: req.originalUrl, status: res.statusCode, at }));
    next();
  };
}

/** Serves `app` on 127.0.0.1 at a free port; close() cancels slow faults and drops open connections. */
export async function listenOnLoopback(app: Express, faults: EmulatorFaults): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => (err === undefined ? resolve(s) : reject(err)));
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults.dispose();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
        server.closeAllConnections();
      }),
  };
}
