// Refuses every outbound connection except loopback, so no test can reach the internet by accident.
import net from 'node:net';

const loopback = (host: unknown): boolean =>
  host === undefined ||
  host === null ||
  host === 'localhost' ||
  host === '::1' ||
  (typeof host === 'string' && host.startsWith('127.'));

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0];
  let host: unknown;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const opts = first as { host?: unknown; path?: unknown };
    host = opts.path !== undefined ? 'localhost' : opts.host;
  } else if (typeof args[1] === 'string') {
    host = args[1];
  }
  if (!loopback(host)) {
    throw new Error(`test network guard: connection to ${String(host)} refused (tests talk only to 127.0.0.1)`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
};
