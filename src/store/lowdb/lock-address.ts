import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the owner of a data directory listens, and whether the kernel frees that address when the owner dies. */
export interface LockAddress {
  /** Socket address for `net.Server.listen` / `net.connect`. */
  path: string;
  /**
   * true: a Linux abstract socket or a Windows named pipe, released by the kernel the instant the owner
   * dies (even on SIGKILL), so a stale lock cannot exist. false: a socket file (macOS, BSD) that a crashed
   * owner leaves behind; a second opener finds nobody answering on it and takes it over.
   */
  kernelReleased: boolean;
}

/**
 * The lock of one ledger directory, named after its real path: two processes that open the same directory
 * by different spellings (relative, symlinked) meet at the same address.
 */
export function lockAddress(realDir: string, platform: NodeJS.Platform = process.platform): LockAddress {
  const id = createHash('sha256').update(realDir).digest('hex').slice(0, 32);
  if (platform === 'linux') return { path: `\0license-bot/ledger/${id}`, kernelReleased: true };
  if (platform === 'win32') return { path: `\\\\.\\pipe\\license-bot-ledger-${id}`, kernelReleased: true };
  // Socket paths are limited to ~104 bytes on macOS: keep the name short.
  return { path: join(tmpdir(), `license-bot-${id.slice(0, 24)}.sock`), kernelReleased: false };
}
