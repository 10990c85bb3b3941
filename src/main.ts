/**
 * Composition root: env -> config -> logger -> store -> vendor clients -> bot -> receiver -> framework ->
 * scheduler. With no WEBEX_TOKEN it first boots the local sandbox (fake Webex API and vendor emulators on
 * 127.0.0.1) and wires the same parts to it. The only file that reads the environment, installs process
 * handlers or exits.
 */
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import cron from 'node-cron';
import { loadConfig, type Config } from './config.js';
import { ConfigError, StoreError, errorMessage } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { systemClock } from './clock.js';
import { openSeatStore } from './store/open-seat-store.js';
import type { SeatStore } from './store/seat-store.js';
import { openSecretFile } from './store/secret-file.js';
import { openCluster, type Cluster } from './store/open-cluster.js';
import { createVendorClients } from './sync/runner/create-vendor-clients.js';
import { createSyncRunner } from './sync/runner/sync-runner.js';
import { printableSyncReport } from './sync/runner/printable-sync-report.js';
import { syncRequestSchema } from './sync/runner/sync-request.js';
import { createBot, type Bot } from './bot/bot.js';
import { createSendQueue, type SendQueue } from './webex/send-queue.js';
import { createReceiver, type Receiver } from './webex/receiver.js';
import { createSharedWebhookDedupe } from './webex/shared-webhook-dedupe.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { startupLine } from './startup-line.js';
import { warmCardRenderer } from './cards/render-card.js';
import { jobTable } from './jobs/job-table.js';
import { createJobNotices } from './bot/job-notices.js';
import { createWriteBackNotices } from './bot/write-back-notices.js';
import { createVendorWriters } from './sync/runner/create-vendor-writers.js';
import type { AccessTokenSource } from './sync/http/access-token-source.js';
import { createProvisioningWorker, type ProvisioningWorker } from './provisioning/provisioning-worker.js';
import { kickOnCommit } from './provisioning/kick-on-commit.js';
import { enableWriteBack } from './provisioning/enable-write-back.js';
import type { FrameworkAdapter } from './webex/framework-adapter.js';
import type { Sandbox } from './sandbox/start-sandbox.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee README.md "Configuration" and .env.example.\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel });
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection (kept running)'));
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception (kept running)'));

  // First: own the ledger (a second bot or a sync CLI on this DATA_DIR is refused, naming this pid).
  // With DATABASE_URL the ledger is in PostgreSQL (shared by every instance, no DATA_DIR lock).
  const ledger = await openSeatStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, role: 'bot', logger: logger.child({ component: 'store' }), clock: systemClock });
  const store = ledger.store;
  logger.info({ store: ledger.kind, ledger: ledger.where }, 'ledger opened');
  // From here on a SIGTERM/SIGINT stops whatever has started, in order, within SHUTDOWN_DEADLINE_MS.
  const parts: RunningParts = { store };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal, parts, logger));
  // Instances on one database elect one leader for the cron jobs and share webhook dedupe; alone, this one leads.
  const instanceId = config.instanceId ?? `${hostname()}:${process.pid}`;
  // After the store: with DATABASE_URL, the store's migration 1 creates the lease and dedupe tables.
  const cluster = await openCluster({ databaseUrl: config.databaseUrl, instanceId, logger, lease: config.leaderLease });
  parts.cluster = cluster;
  let sandbox: Sandbox | null = null;
  if (config.webex.token === null) {
    const { startSandbox } = await import('./sandbox/start-sandbox.js');
    sandbox = await startSandbox({ logger, fakeWebexPort: config.port === 0 ? 0 : config.port + 1 });
    parts.sandbox = sandbox;
  }
  const webex = sandbox
    ? { token: sandbox.webex.token, apiUrl: sandbox.webex.apiUrl, secrets: [sandbox.webex.webhookSecret] }
    : { token: config.webex.token!, apiUrl: config.webex.apiUrl, secrets: config.webex.webhookSecrets };
  const access = sandbox ? { ...config.access, ...sandbox.access, allowedEmailDomains: config.access.allowedEmailDomains } : config.access;
  const vendors = sandbox ? sandbox.vendors : config.vendors;
  logger.info({ mode: sandbox ? 'sandbox' : 'live', vendors: Object.entries(vendors).filter(([, v]) => v !== null).map(([k]) => k) }, 'starting license-bot');

  const share: { webexTokenSource?: AccessTokenSource } = {};
  const clients = createVendorClients(vendors, { fetch: globalThis.fetch, clock: systemClock, logger, budgets: config.budgets, openSecret: (name, descendsFrom) => openSecretFile({ dir: config.dataDir, name, descendsFrom }), share });
  const runner = createSyncRunner({ store, clients, clock: systemClock, logger: logger.child({ component: 'sync' }), budgets: config.budgets });
  // `npm run sync` while the bot runs: the CLI asks this process, which owns the ledger, to sync (lowdb; on
  // PostgreSQL there is no owner: the CLI syncs itself, its writes ordered with every instance's).
  ledger.lock?.serve('sync', async (args) => {
    const request = syncRequestSchema.parse(args ?? {});
    const report = await runner.run({ trigger: 'cli', dryRun: request.dryRun, ...(request.vendor ? { vendor: request.vendor } : {}) });
    return printableSyncReport(report);
  });
  const outbox = createSendQueue({ apiUrl: webex.apiUrl, token: webex.token, logger: logger.child({ component: 'send-queue' }) });
  // Write-back outbox: decisions queue provisioning intents in the ledger; the worker carries them out after each
  // commit (kick), on its retry timer and on the backstop job, and once at start (intents a crash left queued).
  const writeBack = sandbox ? sandbox.writeBack : config.writeBack;
  const provisioning = createProvisioningWorker({
    store,
    clock: systemClock,
    logger,
    writers: createVendorWriters(vendors, writeBack, { fetch: globalThis.fetch, clock: systemClock, logger, budgets: config.budgets, ...share }),
    settings: writeBack,
    outbox,
    notices: createWriteBackNotices(access, config.schedule.timezone),
    leader: cluster.leadership,
  });
  parts.provisioning = provisioning;
  const ledgerStore = kickOnCommit(store, () => provisioning.kick());
  const vendorList = clients.map((c) => c.vendor);
  const bot = createBot({
    store: ledgerStore,
    clock: systemClock,
    logger: logger.child({ component: 'bot' }),
    access,
    outbox,
    sync: { current: () => runner.current(), whenDone: () => runner.whenDone(), run: (o) => runner.run(o), vendors: () => vendorList },
    timeZone: config.schedule.timezone,
    writeBackVendors: writeBack.vendors,
  });

  let adapter: FrameworkAdapter | null = null;
  const startedAt = new Date().toISOString();
  const receiver = createReceiver({
    path: config.webex.webhookPath,
    secrets: webex.secrets,
    logger: logger.child({ component: 'receiver' }),
    healthToken: config.healthToken,
    ...(cluster.webhookClaims ? { dedupe: createSharedWebhookDedupe({ claims: cluster.webhookClaims, logger }) } : {}),
    onEvent: (envelope) => {
      if (adapter) return adapter.onEvent(envelope);
      // Not read: a replay of this delivery is processed once the framework runs.
      logger.warn({ resource: envelope.resource, dataId: envelope.data.id }, 'webhook event before the Webex framework started: not processed');
      return Promise.resolve('unread' as const);
    },
    health: () => {
      // Webhooks: each one's status and the last check; degraded while one of ours is not active.
      const webhooks = adapter?.doctor.health() ?? null;
      const database = cluster.leadership.database();
      return {
        status: store.health().ok && (webhooks?.lastCheck?.ok ?? true) && (database?.ok ?? true) ? 'ok' : 'degraded',
        mode: sandbox ? 'sandbox' : 'live',
        instance: instanceId,
        leader: cluster.leadership.leader(),
        database,
        startedAt,
        process: { pid: process.pid, uptimeSeconds: Math.round(process.uptime()), rssBytes: process.memoryUsage().rss },
        store: store.health(),
        sync: { running: runner.isRunning(), lastRuns: runner.lastRuns() },
        intake: { queue: receiver.intake, ...adapter?.intakeHealth() },
        webhooks,
        // Write-back: holds in force (removal brake, vendor 401/403) and vendor changes not yet carried out.
        writeBack: { vendors: writeBack.vendors, dryRun: writeBack.dryRun, holds: store.read().provisionHolds(), open: store.read().openProvisions().length },
      };
    },
  });
  const server = await receiver.listen(config.port, sandbox ? '127.0.0.1' : config.host);
  parts.receiver = receiver;
  parts.server = server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const webhookUrl = sandbox ? `http://127.0.0.1:${port}${config.webex.webhookPath}` : config.webex.webhookUrl!;
  // The fake Webex API registers webhooks to, and delivers to, this receiver only.
  sandbox?.fakeWebex.allowWebhookTargets([webhookUrl]);

  const { startFrameworkAdapter } = await import('./webex/framework-adapter.js');
  adapter = await startFrameworkAdapter({
    token: webex.token,
    webhookUrl,
    webhookSecret: webex.secrets[0]!,
    apiUrl: webex.apiUrl,
    fullSdk: config.webex.fullSdk,
    logger: logger.child({ component: 'webex' }),
    handler: bot,
    outbox,
  });
  parts.adapter = adapter;
  parts.bot = bot;
  parts.outbox = outbox;

  const scheduler = createScheduler({ cron, timezone: config.schedule.timezone, logger: logger.child({ component: 'scheduler' }), leader: cluster.leadership });
  const notices = createJobNotices({ access, vendors: vendorList, timeZone: config.schedule.timezone });
  const doctor = adapter.doctor;
  scheduler.start(jobTable({ schedule: config.schedule, syncRunner: runner, store: ledgerStore, clock: systemClock, outbox, notices, logger, webhookCheck: () => doctor.check(), provisioning }));
  provisioning.kick();
  parts.scheduler = scheduler;
  if (clients.length > 0 && cluster.leadership.isLeader()) {
    void runner
      .run({ trigger: 'startup' })
      .then(async (r) => {
        logger.info({ status: r.status }, r.message);
        // The sandbox shows write-back live: its emulated Webex and cPod pools start with write-back on.
        if (sandbox) logger.info({ pools: await enableWriteBack(store, systemClock, writeBack.vendors) }, 'sandbox: write-back on for the emulated Webex and cPod licenses');
      })
      .catch((err: unknown) => logger.error({ err }, 'startup sync failed'));
  }

  const urls = sandbox
    ? [{ label: 'chat', url: `${sandbox.fakeWebex.origin}/` }, { label: 'webhook', url: webhookUrl }]
    : [{ label: 'webhook', url: webhookUrl }, { label: 'listening on', url: `${config.host}:${port}` }];
  const dataDir = resolve(config.dataDir);
  const nextRuns = scheduler.nextRuns();
  logger.info(
    { pid: process.pid, instance: instanceId, leader: cluster.leadership.isLeader(), mode: sandbox ? 'sandbox' : 'live', ...(sandbox ? { chat: `${sandbox.fakeWebex.origin}/` } : {}), webhook: webhookUrl, dataDir, vendors: vendorList, nextRuns },
    startupLine({
      mode: sandbox ? 'sandbox' : 'live',
      urls,
      dataDir,
      ...(ledger.kind === 'postgres' ? { cluster: { database: ledger.where, instance: instanceId, leader: cluster.leadership.isLeader() } } : {}),
      vendors: vendorList,
      nextRuns,
      timezone: config.schedule.timezone,
    }),
  );
  // The card engine loads after ready, in the background, so start-up does not wait for it nor the first card.
  warmCardRenderer().catch((err: unknown) => logger.error({ err }, 'card templates could not be prepared'));
}

/** What has started so far, for shutdown to stop in reverse order. */
interface RunningParts {
  store: SeatStore;
  sandbox?: Sandbox;
  receiver?: Receiver;
  server?: Server;
  adapter?: FrameworkAdapter;
  bot?: Bot;
  outbox?: SendQueue;
  scheduler?: Scheduler;
  provisioning?: ProvisioningWorker;
  cluster?: Cluster;
}

/** systemd and container runtimes send SIGKILL 10 s after SIGTERM by default: be done before. */
const SHUTDOWN_DEADLINE_MS = 9000;
let stopping = false;

/**
 * Stops the cron jobs, drains accepted events and queued replies, closes the ports and flushes the ledger,
 * then exits 0. Past SHUTDOWN_DEADLINE_MS it logs what it was still waiting for and exits 1 (every change
 * acknowledged so far is already fsynced in the journal).
 */
async function shutdown(signal: string, parts: RunningParts, logger: Logger): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  let step = 'start';
  const deadline = setTimeout(() => {
    logger.error({ step, ms: SHUTDOWN_DEADLINE_MS }, `shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms (stuck at: ${step}); exiting`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  const run = async (name: string, fn: (() => Promise<void>) | undefined): Promise<void> => {
    if (!fn) return;
    step = name;
    try {
      await fn();
    } catch (err) {
      logger.error({ err, step: name }, 'shutdown step failed; continuing');
    }
  };
  await run('stop cron jobs', parts.scheduler && (() => parts.scheduler!.stop()));
  // A vendor call under way finishes and is recorded; intents not yet started stay queued for the next start.
  await run('stop write-back', parts.provisioning && (() => parts.provisioning!.stop()));
  // Released only now that no job runs here (stop() waited for them), so the next leader never overlaps ours;
  // releasing (not letting it run out) lets another instance take over at its next renewal.
  await run('release leader lease', parts.cluster && (() => parts.cluster!.leadership.stop()));
  // Events already accepted finish while the framework is still active.
  await run('drain webhooks', parts.receiver && (() => parts.receiver!.drain()));
  await run('stop framework', parts.adapter && (() => parts.adapter!.stop()));
  await run('drain bot', parts.bot && (() => parts.bot!.drain()));
  await run('send queued replies', parts.outbox && (() => parts.outbox!.idle()));
  await run('close receiver port', parts.server && (() => closeServer(parts.server!)));
  // After the drain: forgetting an unread delivery still needs the shared dedupe.
  await run('close cluster database', parts.cluster && (() => parts.cluster!.close()));
  await run('flush ledger', () => parts.store.close());
  await run('stop sandbox', parts.sandbox && (() => parts.sandbox!.close()));
  logger.info({ signal }, 'stopped');
  process.exit(0);
}

/** Stops accepting, then ends idle keep-alive connections at once instead of waiting for their timeout. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}


main().catch((err: unknown) => {
  const log: Logger = createLogger({ level: 'info' });
  if (err instanceof StoreError) {
    log.fatal({ file: err.file, code: err.code }, `cannot open the ledger: ${err.message}`);
  } else {
    log.fatal({ err }, `license-bot failed to start: ${errorMessage(err)}`);
  }
  process.exit(1);
});
