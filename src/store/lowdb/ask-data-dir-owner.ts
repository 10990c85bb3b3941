import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../errors.js';
import { askLockHolder } from './ask-lock-holder.js';
import { lockAddress } from './lock-address.js';
import { CONTROL_TOKEN_FILE, type LockHolder } from './lock-channel.js';

export interface OwnerAnswer {
  holder: LockHolder;
  result: unknown;
}

/**
 * Asks the process that owns `dir` to run `op` (one it serves, e.g. the bot's `sync`) and returns its result.
 * Resolves null when nobody owns the directory (the caller may then open it itself). Rejects with an AppError:
 * LOCK_NO_TOKEN when the owner's control token cannot be read, the owner's own code when it refused or the
 * operation failed, LOCK_NO_ANSWER when it did not answer within `timeoutMs`.
 */
export async function askDataDirOwner(dir: string, op: string, args: unknown, timeoutMs: number): Promise<OwnerAnswer | null> {
  let realDir: string;
  try {
    realDir = await realpath(dir);
  } catch {
    return null; // no directory, no owner
  }
  const address = lockAddress(realDir).path;
  const who = await askLockHolder(address, { op: 'whoami' }).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'LOCK_NOBODY') return null;
    throw err;
  });
  if (who === null) return null;
  const file = join(realDir, CONTROL_TOKEN_FILE);
  const token = await readFile(file, 'utf8').then((t) => t.trim(), () => null);
  if (token === null) {
    throw new AppError('LOCK_NO_TOKEN', `${realDir} is owned by pid ${who.holder?.pid ?? '?'} but ${file} cannot be read: run this as the user that runs the bot`);
  }
  const answer = await askLockHolder(address, { op, token, args }, { timeoutMs });
  if (!answer.ok) throw new AppError(answer.code, `${answer.holder ? `pid ${answer.holder.pid}` : 'the owner'} refused: ${answer.message}`);
  return { holder: answer.holder, result: answer.result };
}
