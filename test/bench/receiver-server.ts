// Child process of receiver.bench.ts: serves one webhook endpoint on 127.0.0.1 and prints
// {"event":"ready","port":N}. argv[2] = 'real': the bot's receiver (src/webex/receiver.ts) with its default
// limits, server and a pino logger at info on stdout, and an event handler that does nothing; 'bare': plain
// Express that reads the raw body, checks the HMAC-SHA1 in constant time and answers 200, nothing else.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '../../src/log.js';
import { createReceiver } from '../../src/webex/receiver.js';

export const RECEIVER_BENCH_SECRET = 'receiver-bench-secret-0123456789';
export const RECEIVER_BENCH_PATH = '/webex/webhook';

async function real(): Promise<Server> {
  const receiver = createReceiver({
    path: RECEIVER_BENCH_PATH,
    secrets: [RECEIVER_BENCH_SECRET],
    logger: createLogger({ level: 'info' }),
    onEvent: () => Promise.resolve(),
    health: () => ({ status: 'ok' }),
  });
  return receiver.listen(0, '127.0.0.1');
}

async function bare(): Promise<Server> {
  const app = express();
  app.post(RECEIVER_BENCH_PATH, express.raw({ type: () => true, limit: '64kb' }), (req, res) => {
    const raw = req.body as Buffer;
    const given = Buffer.from(req.get('x-spark-signature') ?? '', 'utf8');
    const expected = Buffer.from(createHmac('sha1', RECEIVER_BENCH_SECRET).update(raw).digest('hex'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.status(401).json({ error: 'bad signature' });
      return;
    }
    res.status(200).json({ ok: true });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

const mode = process.argv[2];
if (mode === 'real' || mode === 'bare') {
  const server = mode === 'real' ? await real() : await bare();
  process.stdout.write(`${JSON.stringify({ event: 'ready', port: (server.address() as AddressInfo).port })}\n`);
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
