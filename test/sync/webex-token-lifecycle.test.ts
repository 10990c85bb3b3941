// Webex license reads with refresh-token credentials, end to end: config from an env, the clients as main.ts
// builds them (the rotated refresh token kept in DATA_DIR by store/secret-file.ts), the real runner and lowdb
// store, and the Webex emulator issuing expiring tokens and rotating refresh tokens like the real service.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { generateWebexDataset } from '../../src/sandbox/vendor-emulators/demo-data/webex.js';
import { startWebexLicensesEmulator, type WebexLicensesEmulator } from '../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { openSecretFile } from '../../src/store/secret-file.js';
import { createVendorClients, WEBEX_REFRESH_SECRET } from '../../src/sync/runner/create-vendor-clients.js';
import { createSyncRunner } from '../../src/sync/runner/sync-runner.js';
import type { SyncReport } from '../../src/sync/runner/sync-runner-types.js';
import { useStoreDirs } from '../store/store-test-kit.js';

const dirs = useStoreDirs();
const logs: string[] = [];
// Every level, so a secret in a debug line would be caught too.
const logger = createLogger({ level: 'trace' }, { write: (line: string) => void logs.push(line) });
const clock = fixedClock('2026-11-22T12:00:00.000Z');
const LICENSES = 8;

let emu: WebexLicensesEmulator;
let dataDir: string;
/** Every bearer token the clients sent (the access tokens in play). */
let bearers: Set<string>;

const recordingFetch: typeof globalThis.fetch = (input, init) => {
  const auth = new Headers(init?.headers).get('authorization');
  if (auth !== null) bearers.add(auth.replace(/^Bearer\s+/, ''));
  return globalThis.fetch(input, init);
};

beforeEach(async () => {
  logs.length = 0;
  bearers = new Set();
  dataDir = await dirs.dirFor();
  emu = await startWebexLicensesEmulator({ clock, tokenLifetimeSec: 3600, data: generateWebexDataset({ licenses: LICENSES, users: 12, usersPerLicense: 3 }) });
});
afterEach(async () => {
  await emu.close();
});

function envWith(refreshToken: string): Record<string, string> {
  return {
    WEBEX_LICENSES_CLIENT_ID: emu.tokens.clientId,
    WEBEX_LICENSES_CLIENT_SECRET: emu.tokens.clientSecret,
    WEBEX_LICENSES_REFRESH_TOKEN: refreshToken,
    WEBEX_LICENSES_API_URL: emu.url,
    DATA_DIR: dataDir,
  };
}

/** One "process": config, store, clients and runner as main.ts wires them. `stop()` is the restart. */
async function boot(env: Record<string, string>) {
  const config = loadConfig(env);
  const store = await dirs.openStore({ dir: config.dataDir, clock });
  const clients = createVendorClients(config.vendors, {
    fetch: recordingFetch,
    clock,
    logger,
    sleep: () => Promise.resolve(),
    openSecret: (name, descendsFrom) => openSecretFile({ dir: config.dataDir, name, descendsFrom }),
  });
  const runner = createSyncRunner({ store, clients, clock, logger });
  return { store, sync: () => runner.run({ trigger: 'command' }), stop: () => store.close() };
}

const unauthorized = (): number => emu.requests.filter((r) => r.status === 401).length;
const pools = (store: Awaited<ReturnType<typeof boot>>['store']): number => Object.keys(store.read().data.pools).length;
const savedFor = (descendsFrom: string): Promise<string | null> => openSecretFile({ dir: dataDir, name: WEBEX_REFRESH_SECRET, descendsFrom }).load();

describe('Webex license reads with refresh-token credentials', () => {
  it('refreshes an expired admin token once, retries, and the sync succeeds', async () => {
    const bot = await boot(envWith(emu.tokens.refreshToken));
    expect((await bot.sync()).status).toBe('ok');
    expect(emu.tokens.tokensIssued).toBe(1);

    emu.tokens.expireAccessTokens(); // revoked early: Webex answers 401 though the client thinks it valid
    clock.advance(60_000);
    const report = await bot.sync();
    expect(report.status).toBe('ok');
    expect(emu.tokens.tokensIssued).toBe(2);
    expect(unauthorized()).toBe(1);
    expect(pools(bot.store)).toBe(LICENSES);
  });

  it('refreshes ahead of expires_in without waiting for a 401', async () => {
    const bot = await boot(envWith(emu.tokens.refreshToken));
    await bot.sync();
    clock.advance(56 * 60_000); // within the 5-minute margin of the 60-minute token
    expect((await bot.sync()).status).toBe('ok');
    expect(emu.tokens.tokensIssued).toBe(2);
    expect(unauthorized()).toBe(0);
  });

  it('has concurrent license pages that all meet the 401 share one refresh', async () => {
    const bot = await boot(envWith(emu.tokens.refreshToken));
    await bot.sync();
    emu.tokens.expireAccessTokensAfter(1); // the license list still passes; the detail pages then meet a dead token
    clock.advance(60_000);
    const report = await bot.sync();
    expect(report.status).toBe('ok');
    // The four pages in flight (concurrency 4) all carried the old token, so all four were refused...
    expect(unauthorized()).toBe(4);
    // ...and one refresh served them all.
    expect(emu.tokens.tokensIssued).toBe(2);
    expect(report.vendors[0]!.run.requests).toBe(1 + LICENSES + 4 + 1);
  });

  it('persists a rotated refresh token in DATA_DIR (0600) and uses it after a restart', async () => {
    const envToken = emu.tokens.refreshToken;
    const first = await boot(envWith(envToken));
    expect((await first.sync()).status).toBe('ok');
    // The emulator rotated the refresh token and retired the configured one.
    const [rotated] = emu.tokens.liveRefreshTokens();
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(envToken);
    expect(await savedFor(envToken)).toBe(rotated);
    expect((await stat(join(dataDir, WEBEX_REFRESH_SECRET))).mode & 0o777).toBe(0o600);
    expect(logs.filter((l) => l.includes('Webex rotated the refresh token; saved the new one in DATA_DIR'))).toHaveLength(1);
    await first.stop();

    const second = await boot(envWith(envToken)); // same env, same DATA_DIR
    expect((await second.sync()).status).toBe('ok');
    expect(emu.tokens.refreshesRefused).toBe(0);
    expect(await savedFor(envToken)).toBe(emu.tokens.liveRefreshTokens()[0]);
    await second.stop();

    // Without the saved token the configured one is dead by now: that is what the file is for.
    dataDir = await dirs.dirFor();
    const fresh = await boot(envWith(envToken));
    expect((await fresh.sync()).vendors[0]!.run.error).toMatchObject({ code: 'VENDOR_AUTH' });
  });

  it('uses a new refresh token put into the env rather than the one saved from the old one', async () => {
    const oldEnv = emu.tokens.refreshToken;
    const first = await boot(envWith(oldEnv));
    await first.sync();
    const saved = await savedFor(oldEnv);
    await first.stop();

    const newEnv = emu.tokens.issueRefreshToken(); // an admin authorised the app again
    const second = await boot(envWith(newEnv));
    expect((await second.sync()).status).toBe('ok');
    const live = emu.tokens.liveRefreshTokens();
    expect(live).toContain(saved); // the saved token was not used...
    expect(live).not.toContain(newEnv); // ...the new env one was (and was rotated)
    const savedNow = await savedFor(newEnv);
    expect(savedNow).not.toBeNull();
    expect(savedNow).not.toBe(saved);
    expect(await savedFor(oldEnv)).toBeNull();
  });

  describe('a refresh Webex refuses', () => {
    /** Every secret in play: client secret, every refresh token seen, every access token sent. */
    function secrets(extra: readonly string[]): string[] {
      return [emu.tokens.clientSecret, ...emu.tokens.liveRefreshTokens(), ...bearers, ...extra];
    }

    /** Text of the report, the stored run, every file of the ledger and every log line: no secret in any. */
    async function expectNoSecrets(reports: SyncReport[], bot: Awaited<ReturnType<typeof boot>>, extra: readonly string[]): Promise<void> {
      const storedRuns = JSON.stringify(bot.store.read().data.syncRuns);
      await bot.stop(); // flushes the ledger files
      const ledgerFiles = (await readdir(dataDir)).filter((f) => f !== WEBEX_REFRESH_SECRET && !f.startsWith('.'));
      expect(ledgerFiles.length).toBeGreaterThan(0);
      const texts = {
        reports: JSON.stringify(reports),
        storedRuns,
        ledger: (await Promise.all(ledgerFiles.map((f) => readFile(join(dataDir, f), 'utf8')))).join('\n'),
        logs: logs.join(''),
      };
      for (const [where, text] of Object.entries(texts)) {
        expect(secrets(extra).filter((s) => text.includes(s)), where).toEqual([]);
      }
    }

    it('fails the sync with VENDOR_AUTH naming WEBEX_LICENSES_REFRESH_TOKEN, and no secret anywhere', async () => {
      const envToken = emu.tokens.refreshToken;
      emu.tokens.revokeRefreshTokens();
      const bot = await boot(envWith(envToken));
      const report = await bot.sync();
      expect(report.status).toBe('failed');
      const stored = Object.values(bot.store.read().data.syncRuns);
      expect(stored).toHaveLength(1);
      expect(stored[0]!.error).toMatchObject({
        code: 'VENDOR_AUTH',
        httpStatus: 400,
        message: expect.stringMatching(/^webex: Webex refused the refresh token \(invalid_grant\): create a new one and set WEBEX_LICENSES_REFRESH_TOKEN/),
      });
      expect(report.message).toContain('create a new one and set WEBEX_LICENSES_REFRESH_TOKEN');
      expect(logs.some((l) => l.includes('vendor sync failed'))).toBe(true);
      await expectNoSecrets([report], bot, [envToken]);
    });

    it('after rotations and a 401 mid-life, still names the key and leaks nothing (even when Webex echoes the form)', async () => {
      const envToken = emu.tokens.refreshToken;
      const bot = await boot(envWith(envToken));
      expect((await bot.sync()).status).toBe('ok');
      const rotated = emu.tokens.liveRefreshTokens();

      emu.tokens.expireAccessTokens();
      emu.faults.set({ echoRequestBody: { count: 1 } }); // the refresh answer quotes client_secret and refresh_token
      clock.advance(60_000);
      const echoed = await bot.sync();
      expect(echoed.vendors[0]!.run.error).toMatchObject({ code: 'VENDOR_AUTH', message: expect.stringMatching(/WEBEX_LICENSES_/) });

      emu.tokens.revokeRefreshTokens();
      clock.advance(60_000);
      const report = await bot.sync();
      expect(report.vendors[0]!.run.error!.message).toMatch(/invalid_grant, the rotated one Webex issued after WEBEX_LICENSES_REFRESH_TOKEN\): create a new one and set WEBEX_LICENSES_REFRESH_TOKEN/);
      await expectNoSecrets([echoed, report], bot, [envToken, ...rotated]);
    });
  });
});
