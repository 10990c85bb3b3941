/**
 * One owner per ledger directory. The owner listens on a socket named after the directory's real path
 * (lock-address.ts): binding it is atomic, a live owner's address can never be taken, and on Linux (abstract
 * socket) and Windows (named pipe) the kernel frees it the instant the owner dies, SIGKILL included, so no
 * stale lock ever needs cleaning up. A second opener gets STORE_LOCKED naming the owner's pid and role.
 *
 * The same socket is the owner's local control channel: `whoami` for anyone, and operations the owner
 * registers with `serve()` (the bot serves `sync` to the sync CLI) for callers that present the token the
 * owner wrote to `<dir>/.control-token` (mode 0600), i.e. callers who may read the data directory anyway.
 *
 * Limit: the lock is per kernel. Two containers with their own network namespaces that share one volume do
 * not see each other's abstract socket; run one container per data directory (or use PostgreSQL).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { AppError, StoreError, errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';
import { askLockHolder } from './ask-lock-holder.js';
import { lockAddress, type LockAddress } from './lock-address.js';
import {
  CONTROL_TOKEN_FILE,
  MAX_LOCK_REQUEST_BYTES,
  lockRequestSchema,
  type LockAnswer,
  type LockHolder,
} from './lock-channel.js';

export interface LockDataDirOptions {
  /** Who owns it, shown to a refused second opener: 'bot', 'sync-cli', 'store'. */
  role: string;
  /** ISO time the owner started (default: now). */
  startedAt?: string;
  logger?: Logger;
  /** Seam for tests. */
  platform?: NodeJS.Platform;
}

/** Runs an operation a local caller asked the owner for; the result must be JSON. */
export type LockOperation = (args: unknown) => Promise<unknown>;

export async function lockDataDir(dir: string, options: LockDataDirOptions): Promise<DataDirLock> {
  let realDir: string;
  try {
    await mkdir(dir, { recursive: true });
    realDir = await realpath(dir);
  } catch (err) {
    throw new StoreError('STORE_UNREADABLE', dir, `Cannot create or read the data directory ${dir}: ${errorMessage(err)}`, { cause: err });
  }
  const address = lockAddress(realDir, options.platform);
  const holder: LockHolder = { pid: process.pid, role: options.role, startedAt: options.startedAt ?? new Date().toISOString() };
  const lock = new DataDirLock(realDir, address, holder, options.logger);
  await lock.listen();
  return lock;
}

export class DataDirLock {
  private readonly server: Server;
  private readonly token = randomBytes(32).toString('hex');
  private readonly operations = new Map<string, LockOperation>();
  private readonly connections = new Set<Socket>();
  private released: Promise<void> | null = null;

  /** @internal use lockDataDir */
  constructor(
    readonly dir: string,
    readonly address: LockAddress,
    readonly holder: LockHolder,
    private readonly logger: Logger | undefined,
  ) {
    this.server = createServer((socket) => this.onConnection(socket));
  }

  /** Answers `op` for callers holding the control token; replaces an earlier handler of the same name. */
  serve(op: string, run: LockOperation): void {
    this.operations.set(op, run);
  }

  /** Frees the directory for the next owner; safe to call twice. */
  release(): Promise<void> {
    this.released ??= (async () => {
      for (const socket of this.connections) socket.destroy();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
      await rm(join(this.dir, CONTROL_TOKEN_FILE), { force: true }).catch(() => undefined);
    })();
    return this.released;
  }

  /** @internal */
  async listen(): Promise<void> {
    const bound = await this.tryListen();
    if (bound !== true && !this.address.kernelReleased) {
      // A socket file outlives a crashed owner: take it over when nobody answers on it.
      const answer = await askLockHolder(this.address.path, { op: 'whoami' }).catch((err: unknown) => err);
      if (answer instanceof AppError && answer.code === 'LOCK_NOBODY') {
        await rm(this.address.path, { force: true });
        if ((await this.tryListen()) === true) return this.afterListen();
      }
    }
    if (bound !== true) throw await this.refusal(bound);
    await this.afterListen();
  }

  private tryListen(): Promise<true | NodeJS.ErrnoException> {
    return new Promise((resolve) => {
      const onError = (err: NodeJS.ErrnoException): void => resolve(err);
      this.server.once('error', onError);
      this.server.listen(this.address.path, () => {
        this.server.off('error', onError);
        resolve(true);
      });
    });
  }

  private async afterListen(): Promise<void> {
    this.server.unref();
    this.server.on('error', (err) => this.logger?.error({ err }, 'ledger lock socket failed'));
    const file = join(this.dir, CONTROL_TOKEN_FILE);
    try {
      await writeFile(`${file}.tmp`, `${this.token}\n`, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    } catch (err) {
      await this.release();
      throw new StoreError('STORE_UNREADABLE', file, `Cannot write ${file}: ${errorMessage(err)}`, { cause: err });
    }
  }

  private async refusal(err: NodeJS.ErrnoException): Promise<StoreError> {
    if (err.code !== 'EADDRINUSE') {
      return new StoreError('STORE_LOCK_FAILED', this.dir, `Cannot lock the data directory ${this.dir}: ${errorMessage(err)}`, { cause: err });
    }
    const answer = await askLockHolder(this.address.path, { op: 'whoami' }).catch(() => null);
    const who = answer?.holder
      ? `pid ${answer.holder.pid}, ${answer.holder.role}, since ${answer.holder.startedAt}`
      : 'a process that did not say its pid in time';
    return new StoreError(
      'STORE_LOCKED',
      this.dir,
      `The ledger in ${this.dir} is in use by another license-bot process (${who}). ` +
        'Only one process may own a ledger: stop that one first. While the bot runs, `npm run sync` asks it to sync.',
    );
  }

  private onConnection(socket: Socket): void {
    this.connections.add(socket);
    socket.unref();
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > MAX_LOCK_REQUEST_BYTES) {
        socket.off('data', onData);
        return this.answer(socket, { ok: false, holder: this.holder, code: 'LOCK_BAD_REQUEST', message: 'request too long' });
      }
      chunks.push(chunk);
      if (!chunk.includes(0x0a)) return;
      socket.off('data', onData);
      socket.setTimeout(0); // an operation (a sync) may take minutes; the caller has its own deadline
      const text = Buffer.concat(chunks).toString('utf8');
      void this.handle(text.slice(0, text.indexOf('\n'))).then((a) => this.answer(socket, a));
    };
    socket.on('data', onData);
  }

  private async handle(line: string): Promise<LockAnswer> {
    const fail = (code: string, message: string): LockAnswer => ({ ok: false, holder: this.holder, code, message });
    let request;
    try {
      request = lockRequestSchema.parse(JSON.parse(line));
    } catch {
      return fail('LOCK_BAD_REQUEST', 'not a lock request');
    }
    if (request.op === 'whoami') return { ok: true, holder: this.holder };
    if (!this.tokenMatches(request.token)) return fail('LOCK_FORBIDDEN', `the token does not match ${CONTROL_TOKEN_FILE}`);
    const run = this.operations.get(request.op);
    if (!run) return fail('LOCK_UNKNOWN_OP', `this ${this.holder.role} does not serve "${request.op}"`);
    try {
      return { ok: true, holder: this.holder, result: await run(request.args) };
    } catch (err) {
      this.logger?.error({ err, op: request.op }, 'lock operation failed');
      return fail(err instanceof AppError ? err.code : 'LOCK_OP_FAILED', errorMessage(err));
    }
  }

  private tokenMatches(token: string | undefined): boolean {
    if (token === undefined) return false;
    const a = Buffer.from(token);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private answer(socket: Socket, answer: LockAnswer): void {
    if (socket.destroyed) return;
    socket.end(`${JSON.stringify(answer)}\n`);
  }
}
