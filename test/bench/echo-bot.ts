// The baseline bot of the end-to-end benchmarks: webex-node-bot-framework's bare echo bot in webhook mode with
// the SDK's default settings (people-lookup batch wait 100 ms), served by plain Express with the framework's
// own webhook handler. It answers a message with "echo: …" (or a one-button card when the text has "card")
// and a card click with a threaded "echo: <inputs>", like the framework's README examples. No ledger, no cards
// rendering, no retries: what any bot on this framework costs at least.
//
// Run as a child process (start-echo-bot-process.ts compiles it to plain JS first, so its start-up is not
// slowed by a TypeScript loader). Env: ECHO_API_URL (fake Webex /v1 base), ECHO_TOKEN, ECHO_SECRET. Prints one
// JSON line {"event":"ready","port":N,"startMs":T} once its webhooks exist.
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type FrameworkType from 'webex-node-bot-framework';
import type webhookType from 'webex-node-bot-framework/webhook';
import type expressType from 'express';

/** The few Bot methods the echo bot calls (the ambient types declare only what src/ uses). */
interface EchoBotApi {
  say(format: 'markdown', message: string): Promise<unknown>;
  reply(replyTo: FrameworkType.AttachmentAction, message: string, format: 'markdown'): Promise<unknown>;
  sendCard(card: Record<string, unknown>, fallback: string): Promise<unknown>;
}

const started = performance.now();
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`echo-bot: ${name} is required`);
  return value;
};
const apiUrl = env('ECHO_API_URL');
const token = env('ECHO_TOKEN');
const secret = env('ECHO_SECRET');
// webex-platform.md 7.8: the SDK reads its service URLs once, at load.
process.env['HYDRA_SERVICE_URL'] = apiUrl;
process.env['U2C_SERVICE_URL'] = new URL('/u2c/api/v1', apiUrl).href;
process.env['WEBEX_LOG_LEVEL'] = 'silent';

const require = createRequire(import.meta.url);
const express = require('express') as typeof expressType;
const Framework = require('webex-node-bot-framework') as typeof FrameworkType;
const webhook = require('webex-node-bot-framework/webhook') as typeof webhookType;

const CARD = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: 'Echo card', wrap: true }],
  actions: [{ type: 'Action.Submit', title: 'Press', data: { action: 'echo' } }],
};

const fail = (what: string) => (err: unknown) => {
  process.stderr.write(`echo-bot: ${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
};

const app = express();
const server = app.listen(0, '127.0.0.1');
await new Promise<void>((resolve) => server.once('listening', () => resolve()));
const port = (server.address() as AddressInfo).port;
const path = '/webhook';

const framework = new Framework({
  token,
  webhookUrl: `http://127.0.0.1:${port}${path}`,
  webhookSecret: secret,
  removeWebhooksOnStart: false,
  maxStartupSpaces: 0,
  messageFormat: 'markdown',
});
framework.on('message', (bot, trigger) => {
  const api = bot as unknown as EchoBotApi;
  const text = trigger.text ?? '';
  const sent = text.includes('card') ? api.sendCard(CARD, 'Echo card') : api.say('markdown', `echo: ${text}`);
  sent.catch(fail('say'));
});
framework.on('attachmentAction', (bot, trigger) => {
  const a = trigger.attachmentAction;
  (bot as unknown as EchoBotApi).reply(a, `echo: ${JSON.stringify(a.inputs)}`, 'markdown').catch(fail('reply'));
});
const handle = webhook(framework);
app.post(path, express.json({ limit: '1mb' }), (req, res) => {
  res.status(200).send('OK');
  handle({ body: req.body as unknown, headers: req.headers as Record<string, string | undefined> }).catch(fail('webhook'));
});

await framework.start();
// start() does not await the webhooks (7.3): ready once the firehose and the card webhook exist.
const deadline = performance.now() + 10_000;
while (!(framework.webhook && framework.webhook.name && framework.cardsWebhook.name)) {
  if (performance.now() > deadline) throw new Error('echo-bot: webhooks not registered within 10 s');
  await new Promise((r) => setTimeout(r, 2));
}
process.stdout.write(`${JSON.stringify({ event: 'ready', port, startMs: Math.round(performance.now() - started) })}\n`);
const stop = (): void => {
  void framework
    .stop()
    .catch(fail('stop'))
    .finally(() => server.close(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
