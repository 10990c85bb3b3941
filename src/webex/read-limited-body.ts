import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors.js';

/** Codes `readLimitedBody` rejects with, and the HTTP status each one answers. */
export const BODY_READ_STATUS = {
  WEBHOOK_BODY_TOO_LARGE: 413,
  WEBHOOK_BODY_ENCODING_UNSUPPORTED: 415,
  WEBHOOK_BODY_UNREADABLE: 400,
} as const;

/**
 * The raw request body, at most `maxBytes` of it. A declared Content-Length over the limit is refused before
 * a byte is read; a chunked body is read only until it passes the limit, then left unread (the caller closes
 * the connection). Only identity encoding: the signature covers the bytes as sent, and inflating would let a
 * small body grow. Rejects with an AppError whose code is a key of BODY_READ_STATUS.
 */
export function readLimitedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (): AppError => new AppError('WEBHOOK_BODY_TOO_LARGE', `body exceeds ${maxBytes} bytes`);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    return Promise.reject(
      new AppError('WEBHOOK_BODY_ENCODING_UNSUPPORTED', 'Content-Encoding must be identity'),
    );
  }
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge());

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const unreadable = (cause?: unknown): AppError =>
      new AppError('WEBHOOK_BODY_UNREADABLE', 'request body could not be read', { cause });
    function onData(chunk: Buffer): void {
      received += chunk.length;
      if (received > maxBytes) {
        stop();
        req.pause();
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      stop();
      resolve(Buffer.concat(chunks, received));
    }
    function onError(err: unknown): void {
      stop();
      reject(unreadable(err));
    }
    function onClose(): void {
      stop();
      reject(unreadable(new Error('the client closed the connection before the body was complete')));
    }
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
  });
}
