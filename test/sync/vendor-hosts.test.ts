// "Configuration means what it says" for vendor hosts: a configured base may be a proxy (its next links may lead
// to the vendor's own cloud, credentials kept; to nowhere else), and an explicit ZOHO_API_URL beats api_domain.
// Every connection goes to 127.0.0.1: cloud hosts are answered by the emulators through cloudHostFetch.
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { generateMerakiDataset } from '../../src/sandbox/vendor-emulators/demo-data/meraki.js';
import { generateWebexDataset } from '../../src/sandbox/vendor-emulators/demo-data/webex.js';
import { startMerakiEmulator } from '../../src/sandbox/vendor-emulators/meraki-emulator.js';
import { startWebexLicensesEmulator } from '../../src/sandbox/vendor-emulators/webex-licenses-emulator.js';
import { startZohoEmulator } from '../../src/sandbox/vendor-emulators/zoho-emulator.js';
import { createMerakiLicensesClient } from '../../src/sync/vendors/meraki/meraki-licenses.js';
import { createWebexLicensesClient } from '../../src/sync/vendors/webex/webex-licenses.js';
import { createVendorClients } from '../../src/sync/runner/create-vendor-clients.js';
import { caughtVendorError } from '../support/caught-vendor-error.js';
import { cloudHostFetch } from './cloud-host-fetch.js';

const clock = fixedClock('2026-11-22T12:00:00Z');
const sleep = (): Promise<void> => Promise.resolve();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const hostsOf = (sent: readonly { url: string }[]): string[] => [...new Set(sent.map((s) => new URL(s.url).host))];

describe('a Link next page behind a proxy base', () => {
  const TOKEN = 'wx-admin-token-behind-proxy-0001';

  async function webexBehindProxy(linkTo: string) {
    const emu = await startWebexLicensesEmulator({ token: TOKEN, data: generateWebexDataset({ licenses: 1, users: 5 }) });
    closers.push(() => emu.close());
    // The proxy (here: the emulator on 127.0.0.1, the configured base) passes on the cloud's own next links.
    const cloud = cloudHostFetch({ routes: { 'https://webexapis.com': emu.origin }, rewriteLink: (link) => link.split(emu.origin).join(linkTo) });
    const client = createWebexLicensesClient({ baseUrl: emu.url, token: TOKEN, fetch: cloud.fetch, clock, sleep, userPageSize: 2 });
    return { emu, cloud, client };
  }

  it("Webex: follows a next link to Webex's own cloud host (webexapis.com), with the credentials", async () => {
    const { cloud, client } = await webexBehindProxy('https://webexapis.com');
    const snap = await client.fetchSnapshot();
    expect(snap.assignments).toHaveLength(5);
    expect(hostsOf(cloud.sent)).toEqual([new URL(cloud.sent[0]!.url).host, 'webexapis.com']);
    const atCloud = cloud.sent.filter((s) => new URL(s.url).host === 'webexapis.com');
    expect(atCloud).toHaveLength(2);
    expect(atCloud.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  for (const other of ['https://evil.example.net', 'https://webexapis.com.evil.net', 'http://webexapis.com']) {
    it(`Webex: refuses a next link to ${other} and sends it nothing`, async () => {
      const { cloud, client } = await webexBehindProxy(other);
      const err = await caughtVendorError(client.fetchSnapshot());
      expect(err.code).toBe('VENDOR_BAD_LINK');
      expect(err.message).toContain(new URL(other).host);
      expect(hostsOf(cloud.sent)).toEqual([new URL(cloud.sent[0]!.url).host]);
    });
  }

  async function merakiBehindProxy(linkTo: string) {
    const KEY = 'meraki-key-behind-proxy-0001';
    const emu = await startMerakiEmulator({ apiKey: KEY, data: generateMerakiDataset({ licenses: 7, orgId: '777' }), rateLimitPerSecond: 0 });
    closers.push(() => emu.close());
    const cloud = cloudHostFetch({ routes: { 'https://api.meraki.com': emu.origin }, rewriteLink: (link) => link.split(emu.origin).join(linkTo) });
    const client = createMerakiLicensesClient({ baseUrl: emu.url, apiKey: KEY, orgId: '777', maxRequestsPerSecond: 0, perPage: 3, fetch: cloud.fetch, clock, sleep });
    return { KEY, cloud, client };
  }

  it("Meraki: follows a next link to Meraki's own cloud host (api.meraki.com), with the credentials", async () => {
    const { KEY, cloud, client } = await merakiBehindProxy('https://api.meraki.com');
    const snap = await client.fetchSnapshot();
    expect(snap.pools.length).toBeGreaterThan(0);
    const atCloud = cloud.sent.filter((s) => new URL(s.url).host === 'api.meraki.com');
    expect(atCloud.length).toBeGreaterThanOrEqual(2);
    expect(atCloud.every((s) => s.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it('Meraki: refuses a next link to another host and sends it nothing', async () => {
    const { cloud, client } = await merakiBehindProxy('https://meraki.example.net');
    expect((await caughtVendorError(client.fetchSnapshot())).code).toBe('VENDOR_BAD_LINK');
    expect(hostsOf(cloud.sent)).not.toContain('meraki.example.net');
  });
});

describe('ZOHO_API_URL', () => {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });

  async function zohoSaying(apiDomain: string) {
    const emu = await startZohoEmulator({ clock, apiDomain });
    closers.push(() => emu.close());
    const env = { ZOHO_CLIENT_ID: emu.clientId, ZOHO_CLIENT_SECRET: emu.clientSecret, ZOHO_REFRESH_TOKEN: emu.refreshToken, ZOHO_ACCOUNTS_URL: emu.url };
    const cloud = cloudHostFetch({ routes: { [apiDomain]: emu.url } });
    const sync = (extra: Record<string, string>) => {
      const [client] = createVendorClients(loadConfig({ ...env, ...extra }).vendors, { fetch: cloud.fetch, clock, logger, sleep });
      return client!.fetchSnapshot();
    };
    return { emu, cloud, sync };
  }

  it("is honoured even when Zoho's token answer names another api_domain (a proxy or sandbox means what it says)", async () => {
    logs.length = 0;
    const { emu, cloud, sync } = await zohoSaying('https://www.zohoapis.eu');
    const snap = await sync({ ZOHO_API_URL: emu.url, ZOHO_DC: 'eu' });
    expect(snap.assignments.length).toBeGreaterThan(0);
    expect(hostsOf(cloud.sent)).toEqual([new URL(emu.url).host]);
    expect(logs.filter((l) => l['apiDomain'] === 'https://www.zohoapis.eu').map((l) => l['msg'])).toEqual([
      "ZOHO_API_URL is set, so it is used rather than the api_domain of Zoho's token answer",
    ]);
  });

  it("without it, the api_domain on Zoho's own host is used (whatever host ZOHO_DC names)", async () => {
    const { emu, cloud, sync } = await zohoSaying('https://www.zohoapis.eu');
    await sync({ ZOHO_DC: 'com' });
    const apiCalls = cloud.sent.filter((s) => new URL(s.url).pathname.startsWith('/crm/'));
    expect(hostsOf(apiCalls)).toEqual(['www.zohoapis.eu']);
    expect(hostsOf(cloud.sent.filter((s) => !apiCalls.includes(s)))).toEqual([new URL(emu.url).host]);
  });
});
