import { createHash } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StoreError, errorMessage } from '../errors.js';
import { syncDir } from './sync-dir.js';

export interface SecretFileOptions {
  /** DATA_DIR. */
  dir: string;
  /** File name inside `dir`, e.g. `webex-licenses-refresh-token.json`. */
  name: string;
  /**
   * The configured secret the saved one descends from (e.g. the env refresh token). Only its SHA-256 is written;
   * a file written under another configured secret is not loaded, so a new value in the env wins.
   */
  descendsFrom: string;
}

/** One secret kept in DATA_DIR across restarts (shape of sync/http/persisted-secret.ts `PersistedSecret`). */
export interface SecretFile {
  readonly path: string;
  /** The saved secret; null when there is none or it descends from another configured secret. */
  load(): Promise<string | null>;
  /** Replaces the file atomically (temp file 0600, fsync, rename, fsync of the directory). */
  save(secret: string): Promise<void>;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/**
 * A secret file in the data directory, readable and writable by the owner only (mode 0600). Written as
 * `{"version":1,"descendsFrom":"sha256:…","secret":"…"}`; errors name the file, never its content.
 */
export function openSecretFile(options: SecretFileOptions): SecretFile {
  if (!FILE_NAME.test(options.name)) throw new Error(`secret file name must be a plain file name, got ${JSON.stringify(options.name)}`);
  const path = join(options.dir, options.name);
  const tempPath = join(options.dir, `.${options.name}.tmp`);
  const lineage = fingerprint(options.descendsFrom);
  let queue: Promise<void> = Promise.resolve();

  const corrupt = (): StoreError =>
    // No cause and no parser message: JSON.parse quotes the text it choked on, and that text is a secret.
    new StoreError('STORE_CORRUPT', path, `${path} is not a saved secret (damaged); delete it to use the configured value`);

  async function write(secret: string): Promise<void> {
    const text = `${JSON.stringify({ version: 1, descendsFrom: lineage, secret })}\n`;
    try {
      await mkdir(options.dir, { recursive: true, mode: 0o700 });
      await rm(tempPath, { force: true });
      const fh = await open(tempPath, 'wx', 0o600);
      try {
        await fh.chmod(0o600);
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tempPath, path);
      await chmod(path, 0o600);
      await syncDir(options.dir);
    } catch (err) {
      await rm(tempPath, { force: true }).catch(() => undefined); // the write error is the one to report
      throw new StoreError('STORE_WRITE_FAILED', path, `Cannot write ${path}: ${errorMessage(err)}`, { cause: err });
    }
  }

  return {
    path,
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new StoreError('STORE_UNREADABLE', path, `Cannot read ${path}: ${errorMessage(err)}`, { cause: err });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw corrupt();
      }
      if (typeof parsed !== 'object' || parsed === null) throw corrupt();
      const { descendsFrom, secret } = parsed as Record<string, unknown>;
      if (typeof descendsFrom !== 'string' || typeof secret !== 'string' || secret === '') throw corrupt();
      return descendsFrom === lineage ? secret : null;
    },
    save(secret) {
      // One write at a time: each has the temp file to itself.
      const next = queue.then(() => write(secret));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
