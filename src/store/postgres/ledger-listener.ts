import pg from 'pg';
import type { Logger } from '../../log.js';
import { LEDGER_CHANNEL } from './ledger-log.js';

/**
 * A dedicated connection that LISTENs on the ledger channel and calls `onChange(seq)` for every commit
 * of any instance (this one's too: the store ignores seqs it already has). When the connection drops it
 * reconnects with backoff (100 ms doubling to 5 s) and then calls `onChange(null)`: commits may have
 * been missed meanwhile, so the store catches up from the log.
 */
export class LedgerListener {
  private readonly config: pg.ClientConfig;
  private readonly onChange: (seq: number | null) => void;
  private readonly logger: Logger | undefined;
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;
  /** True while LISTEN is active. */
  listening = false;

  constructor(config: pg.ClientConfig, onChange: (seq: number | null) => void, logger?: Logger) {
    this.config = config;
    this.onChange = onChange;
    this.logger = logger;
  }

  /** Connects and LISTENs; rejects when the first attempt fails (later drops reconnect on their own). */
  start(): Promise<void> {
    this.connecting = this.connect();
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client, null));
    client.on('notification', (msg) => {
      if (msg.channel !== LEDGER_CHANNEL) return;
      const seq = Number(msg.payload);
      this.onChange(Number.isSafeInteger(seq) ? seq : null);
    });
    this.client = client;
    await client.connect();
    await client.query(`listen ${LEDGER_CHANNEL}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.listening = true;
    this.retryMs = 100;
  }

  private dropped(client: pg.Client, err: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening = false;
    if (this.stopped) return;
    this.logger?.warn({ err, retryMs: this.retryMs }, 'ledger LISTEN connection lost; reconnecting');
    void client.end().catch(() => undefined); // already broken; ending only frees the socket
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, 5000);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect().then(
        () => this.onChange(null),
        (err: unknown) => {
          this.logger?.warn({ err }, 'ledger LISTEN reconnect failed');
          const c = this.client;
          this.client = null;
          this.listening = false;
          void c?.end().catch(() => undefined); // a failed connect; nothing to flush
          this.schedule();
        },
      );
    }, wait);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.connecting?.catch(() => undefined); // a failed first connect was reported by start()
    const c = this.client;
    this.client = null;
    this.listening = false;
    await c?.end().catch(() => undefined); // closing: an error here changes nothing
  }
}
