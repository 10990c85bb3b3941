import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { CONFIG_KEYS } from '../src/config-env.js';
import { ConfigError } from '../src/errors.js';

function issuesOf(env: Record<string, string>): Record<string, string> {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return Object.fromEntries((err as ConfigError).issues.map((i) => [i.key, i.message]));
  }
  throw new Error('expected a ConfigError');
}

const live = { WEBEX_TOKEN: 'a-bot-token-1234567890', WEBEX_WEBHOOK_URL: 'https://bot.example.com/webex/webhook', WEBEX_WEBHOOK_SECRET: 'a-long-enough-secret-1' };

describe('loadConfig', () => {
  it('runs the sandbox with defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: './data', webex: { token: null, apiUrl: 'https://webexapis.com/v1', webhookPath: '/webex/webhook' } });
    expect(c.schedule).toEqual({ timezone: 'UTC', syncCron: '0 * * * *', digestCron: '0 9 * * 1-5', reminderCron: '30 9 * * *', seatExpiryCron: '* * * * *', webhookCheckCron: '*/5 * * * *', requestTtlDays: 14, reclaimAfterDays: 60 });
    expect(c.vendors).toEqual({ webex: null, meraki: null, zoho: null, cpod: null });
    expect(Object.isFrozen(c.webex)).toBe(true);
  });

  it('reports every invalid setting at once, each with its key and a fix', () => {
    const issues = issuesOf({
      PORT: '70000',
      LOG_LEVEL: 'loud',
      WEBEX_API_URL: 'ftp://x',
      ADMIN_EMAILS: 'ada@example.com, not-an-email',
      ALLOWED_EMAIL_DOMAINS: 'example',
      SCHEDULE_TIMEZONE: 'Mars/Olympus',
      SYNC_CRON: 'every hour',
      ZOHO_DC: 'mars',
      WEBEX_WEBHOOK_SECRET: 'short',
      MERAKI_API_KEY: 'key-without-org',
    });
    expect(Object.keys(issues).sort()).toEqual(['ADMIN_EMAILS', 'ALLOWED_EMAIL_DOMAINS', 'LOG_LEVEL', 'MERAKI_ORG_ID', 'PORT', 'SCHEDULE_TIMEZONE', 'SYNC_CRON', 'WEBEX_API_URL', 'WEBEX_WEBHOOK_SECRET', 'ZOHO_DC']);
    expect(issues['WEBEX_API_URL']).toMatch(/http\(s\) URL/);
    expect(issues['SCHEDULE_TIMEZONE']).toMatch(/IANA time zone/);
    expect(issues['SYNC_CRON']).toMatch(/cron expression/);
    expect(issues['ADMIN_EMAILS']).toMatch(/email addresses/);
  });

  it('needs the webhook URL and secret with a bot token, and complete vendor credentials', () => {
    expect(issuesOf({ WEBEX_TOKEN: 'a-bot-token-1234567890' })).toEqual({
      WEBEX_WEBHOOK_URL: expect.stringMatching(/required with WEBEX_TOKEN/),
      WEBEX_WEBHOOK_SECRET: expect.stringMatching(/required with WEBEX_TOKEN/),
    });
    expect(issuesOf({ ...live, MERAKI_API_KEY: 'k' })).toEqual({ MERAKI_ORG_ID: expect.stringMatching(/required when any Meraki setting is set \(MERAKI_API_KEY\)/) });
    expect(Object.keys(issuesOf({ ...live, ZOHO_CLIENT_ID: 'id' }))).toEqual(['ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN']);
  });

  it('enables a vendor when its credentials are set, with data-centre and regional URLs', () => {
    const c = loadConfig({ ...live, ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', ZOHO_REFRESH_TOKEN: 'r', ZOHO_DC: 'CA', MERAKI_API_KEY: 'k', MERAKI_ORG_ID: '1', MERAKI_API_URL: 'https://api.meraki.ca/api/v1/', WEBEX_WEBHOOK_SECRET: 'a-long-enough-secret-1, another-long-secret-2', ADMIN_EMAILS: 'Ada@Example.com' });
    expect(c.vendors.zoho).toMatchObject({ dc: 'ca', accountsUrl: 'https://accounts.zohocloud.ca', apiUrl: 'https://www.zohoapis.ca' });
    expect(c.vendors.meraki).toMatchObject({ apiUrl: 'https://api.meraki.ca/api/v1' });
    expect(c.webex.webhookSecrets).toEqual(['a-long-enough-secret-1', 'another-long-secret-2']);
    expect(c.access.adminEmails).toEqual(['ada@example.com']);
  });

  it('reads Webex licenses with a fixed token or with the three refresh keys', () => {
    expect(loadConfig({ ...live, WEBEX_LICENSES_TOKEN: 'admin-token' }).vendors.webex).toEqual({ token: 'admin-token', orgId: null, apiUrl: 'https://webexapis.com/v1' });
    const refresh = { WEBEX_LICENSES_CLIENT_ID: 'cid', WEBEX_LICENSES_CLIENT_SECRET: 'csecret', WEBEX_LICENSES_REFRESH_TOKEN: 'rtoken' };
    expect(loadConfig({ ...live, ...refresh, WEBEX_LICENSES_API_URL: 'http://127.0.0.1:9/v1/' }).vendors.webex).toEqual({
      token: null,
      refresh: { clientId: 'cid', clientSecret: 'csecret', refreshToken: 'rtoken' },
      orgId: null,
      apiUrl: 'http://127.0.0.1:9/v1',
    });
  });

  it('needs all three Webex refresh keys together, and refuses them next to a fixed token', () => {
    expect(issuesOf({ ...live, WEBEX_LICENSES_REFRESH_TOKEN: 'rtoken' })).toEqual({
      WEBEX_LICENSES_CLIENT_ID: expect.stringMatching(/required when any Webex licenses refresh setting is set \(WEBEX_LICENSES_REFRESH_TOKEN\)/),
      WEBEX_LICENSES_CLIENT_SECRET: expect.stringMatching(/required when any Webex licenses refresh setting is set/),
    });
    const both = issuesOf({ ...live, WEBEX_LICENSES_TOKEN: 'admin-token', WEBEX_LICENSES_CLIENT_ID: 'cid', WEBEX_LICENSES_CLIENT_SECRET: 'csecret', WEBEX_LICENSES_REFRESH_TOKEN: 'rtoken' });
    expect(Object.keys(both)).toEqual(['WEBEX_LICENSES_TOKEN']);
    expect(both['WEBEX_LICENSES_TOKEN']).toMatch(/either WEBEX_LICENSES_TOKEN .* or WEBEX_LICENSES_CLIENT_ID, WEBEX_LICENSES_CLIENT_SECRET and WEBEX_LICENSES_REFRESH_TOKEN .*not both/);
    expect(JSON.stringify(both)).not.toMatch(/admin-token|csecret|rtoken/);
  });

  it('accepts Zoho data centres by region or by domain ending', () => {
    const zoho = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', ZOHO_REFRESH_TOKEN: 'r' };
    const dcOf = (v: string): unknown => loadConfig({ ...live, ...zoho, ZOHO_DC: v }).vendors.zoho?.dc;
    const aliases: [string, string][] = [
      ['us', 'us'], ['com', 'us'], ['eu', 'eu'], ['in', 'in'], ['au', 'au'], ['com.au', 'au'], ['jp', 'jp'], ['ca', 'ca'],
      ['cn', 'cn'], ['com.cn', 'cn'], ['sa', 'sa'], ['uk', 'uk'], [' COM.AU ', 'au'], ['.eu', 'eu'],
    ];
    for (const [input, dc] of aliases) expect(dcOf(input), input).toBe(dc);
    expect(loadConfig({ ...live, ...zoho, ZOHO_DC: 'com.au' }).vendors.zoho).toMatchObject({ accountsUrl: 'https://accounts.zoho.com.au', apiUrl: 'https://www.zohoapis.com.au' });
    expect(issuesOf({ ...live, ZOHO_DC: 'zoho.de' })['ZOHO_DC']).toMatch(/us \(or com\), eu, in, au \(or com\.au\), jp, ca, cn \(or com\.cn\), sa, uk/);
  });

  it('pins the Zoho API host only when ZOHO_API_URL is set', () => {
    const zoho = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', ZOHO_REFRESH_TOKEN: 'r' };
    expect(loadConfig({ ...live, ...zoho, ZOHO_API_URL: 'http://127.0.0.1:9/zoho' }).vendors.zoho).toMatchObject({ apiUrl: 'http://127.0.0.1:9/zoho', apiUrlPinned: true });
    expect(loadConfig({ ...live, ...zoho, ZOHO_DC: 'eu' }).vendors.zoho).toMatchObject({ apiUrl: 'https://www.zohoapis.eu', apiUrlPinned: false });
  });

  it('never puts a secret value into its error messages', () => {
    try {
      loadConfig({ WEBEX_TOKEN: 'tok', WEBEX_WEBHOOK_SECRET: 'sekrit' });
    } catch (err) {
      expect(String((err as Error).message)).not.toMatch(/sekrit|tok\b/);
    }
  });

  it('keeps the ledger in PostgreSQL only with a postgres URL in DATABASE_URL, never echoing its password', () => {
    expect(loadConfig({}).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: ' ' }).databaseUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'postgresql://bot:pw@db:5432/ledger' }).databaseUrl).toBe('postgresql://bot:pw@db:5432/ledger');
    let message = '';
    try {
      loadConfig({ DATABASE_URL: 'mysql://bot:hunter2@db/ledger' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('hunter2');
  });

  it('times the leader lease by LEADER_LEASE_TTL_MS, renewing every third of it, and refuses a too short or long one', () => {
    expect(loadConfig({}).leaderLease).toEqual({ ttlMs: 30_000, renewEveryMs: 10_000 });
    expect(loadConfig({ LEADER_LEASE_TTL_MS: '3000' }).leaderLease).toEqual({ ttlMs: 3000, renewEveryMs: 1000 });
    expect(Object.keys(issuesOf({ LEADER_LEASE_TTL_MS: '500' }))).toEqual(['LEADER_LEASE_TTL_MS']);
    expect(Object.keys(issuesOf({ LEADER_LEASE_TTL_MS: '3600000' }))).toEqual(['LEADER_LEASE_TTL_MS']);
  });

  it('documents every key in .env.example and the README', () => {
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const key of CONFIG_KEYS) {
      expect(example, key).toMatch(new RegExp(`^${key}=`, 'm'));
      expect(readme, key).toContain(`\`${key}\``);
    }
  });
});
