import { connect } from 'node:net';
import { AppError, errorMessage } from '../../errors.js';
import { lockAnswerSchema, type LockAnswer, type LockRequest } from './lock-channel.js';

export interface AskOptions {
  /** Gives up when no whole answer arrived in this time (default 2000 ms). */
  timeoutMs?: number;
  /** Refuses an answer longer than this (default 64 MiB: a dry-run report of a big org). */
  maxBytes?: number;
}

/**
 * Sends one request to the process that owns a data directory and reads its one-line answer. Rejects with
 * LOCK_NOBODY when nobody listens at `address` (ECONNREFUSED/ENOENT: a free lock), LOCK_NO_ANSWER on a
 * timeout, a closed connection or an unreadable answer.
 */
export function askLockHolder(address: string, request: LockRequest, options: AskOptions = {}): Promise<LockAnswer> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const socket = connect(address);
    const finish = (err: AppError | null, answer?: LockAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    const timer = setTimeout(
      () => finish(new AppError('LOCK_NO_ANSWER', `the owner did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) return finish(new AppError('LOCK_NO_ANSWER', `the owner's answer passed ${maxBytes} bytes`));
      chunks.push(chunk);
      if (chunk.includes(0x0a)) settle();
    });
    socket.on('end', settle);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const nobody = err.code === 'ECONNREFUSED' || err.code === 'ENOENT';
      finish(new AppError(nobody ? 'LOCK_NOBODY' : 'LOCK_NO_ANSWER', errorMessage(err), { cause: err }));
    });
    function settle(): void {
      const text = Buffer.concat(chunks).toString('utf8');
      const line = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
      try {
        const parsed = lockAnswerSchema.safeParse(JSON.parse(line));
        if (parsed.success) return finish(null, parsed.data);
      } catch {
        // falls through to the error below
      }
      finish(new AppError('LOCK_NO_ANSWER', 'the owner closed the connection without a readable answer'));
    }
  });
}
