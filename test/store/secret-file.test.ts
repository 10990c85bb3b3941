import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { openSecretFile } from '../../src/store/secret-file.js';
import { useStoreDirs } from './store-test-kit.js';

const dirs = useStoreDirs();
const NAME = 'webex-licenses-refresh-token.json';
const ENV_TOKEN = 'env-refresh-token-AAAA-1111';
const ROTATED = 'rotated-refresh-token-BBBB-2222';

describe('openSecretFile', () => {
  it('has nothing to load before the first save', async () => {
    expect(await openSecretFile({ dir: await dirs.dirFor(), name: NAME, descendsFrom: ENV_TOKEN }).load()).toBeNull();
  });

  it('saves atomically with mode 0600 and loads the secret back, recording only a hash of the secret it descends from', async () => {
    const dir = await dirs.dirFor();
    const file = openSecretFile({ dir, name: NAME, descendsFrom: ENV_TOKEN });
    await file.save(ROTATED);
    expect(await file.load()).toBe(ROTATED);
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual([NAME]);
    const text = await readFile(file.path, 'utf8');
    expect(text).not.toContain(ENV_TOKEN);
    expect(JSON.parse(text)).toEqual({ version: 1, descendsFrom: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), secret: ROTATED });
    // Another handle on the same file (a restart) loads it too.
    expect(await openSecretFile({ dir, name: NAME, descendsFrom: ENV_TOKEN }).load()).toBe(ROTATED);
  });

  it('does not load a secret saved while another one was configured (a new env value wins)', async () => {
    const dir = await dirs.dirFor();
    await openSecretFile({ dir, name: NAME, descendsFrom: ENV_TOKEN }).save(ROTATED);
    expect(await openSecretFile({ dir, name: NAME, descendsFrom: 'a-brand-new-env-token-CCCC' }).load()).toBeNull();
  });

  it('tightens a file that was readable by others to 0600 on the next save', async () => {
    const dir = await dirs.dirFor();
    await writeFile(join(dir, NAME), '{}', { mode: 0o644 });
    const file = openSecretFile({ dir, name: NAME, descendsFrom: ENV_TOKEN });
    await file.save(ROTATED);
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
  });

  it('runs overlapping saves one after another; the last one is kept', async () => {
    const dir = await dirs.dirFor();
    const file = openSecretFile({ dir, name: NAME, descendsFrom: ENV_TOKEN });
    await Promise.all(['one-token-1', 'two-token-2', 'three-token-3'].map((t) => file.save(t)));
    expect(await file.load()).toBe('three-token-3');
    expect(await readdir(dir)).toEqual([NAME]);
  });

  it('refuses a damaged file naming the file but never quoting its content', async () => {
    const dir = await dirs.dirFor();
    await writeFile(join(dir, NAME), `{"secret":"${ROTATED}`, { mode: 0o600 });
    const err = await openSecretFile({ dir, name: NAME, descendsFrom: ENV_TOKEN }).load().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'STORE_CORRUPT', file: join(dir, NAME) });
    expect(String((err as Error).message)).not.toContain(ROTATED);
    expect((err as Error).cause).toBeUndefined();
  });

  it('accepts only a plain file name', () => {
    expect(() => openSecretFile({ dir: '/tmp', name: '../escape.json', descendsFrom: ENV_TOKEN })).toThrow(/plain file name/);
  });
});
