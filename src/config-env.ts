/**
 * What each environment variable may hold: the zod schema loadConfig (config.ts) validates `process.env` with,
 * the list of every key the app reads, and the Zoho data centres ZOHO_DC names. Values come out parsed (numbers,
 * lists, URLs, booleans); settings that only make sense together are checked in loadConfig.
 */
import { z } from 'zod';
import { isPostgresUrl } from './store/postgres/database-url.js';
import { DEFAULT_REQUEST_TTL_DAYS, MAX_DAYS } from './domain/ledger-command.js';
import { DEFAULT_RECLAIM_AFTER_DAYS } from './domain/reclaim-rules.js';

export const ZOHO_DCS = {
  us: { accounts: 'https://accounts.zoho.com', api: 'https://www.zohoapis.com' },
  eu: { accounts: 'https://accounts.zoho.eu', api: 'https://www.zohoapis.eu' },
  in: { accounts: 'https://accounts.zoho.in', api: 'https://www.zohoapis.in' },
  au: { accounts: 'https://accounts.zoho.com.au', api: 'https://www.zohoapis.com.au' },
  jp: { accounts: 'https://accounts.zoho.jp', api: 'https://www.zohoapis.jp' },
  ca: { accounts: 'https://accounts.zohocloud.ca', api: 'https://www.zohoapis.ca' },
  cn: { accounts: 'https://accounts.zoho.com.cn', api: 'https://www.zohoapis.com.cn' },
  sa: { accounts: 'https://accounts.zoho.sa', api: 'https://www.zohoapis.sa' },
  uk: { accounts: 'https://accounts.zoho.uk', api: 'https://www.zohoapis.uk' },
} as const;
export type ZohoDc = keyof typeof ZOHO_DCS;

/** ZOHO_DC as people write it: the region (`us`, `au`) or the domain ending of its hosts (`com`, `com.au`). */
const ZOHO_DC_ALIASES: Readonly<Record<string, ZohoDc>> = {
  ...Object.fromEntries(Object.keys(ZOHO_DCS).map((dc) => [dc, dc as ZohoDc])),
  com: 'us',
  'com.au': 'au',
  'com.cn': 'cn',
};

/** Every key the app reads, so `.env.example` and the README can be checked against it. */
export const CONFIG_KEYS = [
  'PORT', 'HOST', 'DATA_DIR', 'DATABASE_URL', 'LOG_LEVEL', 'HEALTH_TOKEN', 'INSTANCE_ID', 'LEADER_LEASE_TTL_MS',
  'SYNC_TIMEOUT_MINUTES', 'VENDOR_MAX_PAGES', 'VENDOR_MAX_RESPONSE_MB',
  'WEBEX_TOKEN', 'WEBEX_API_URL', 'WEBEX_WEBHOOK_URL', 'WEBEX_WEBHOOK_PATH', 'WEBEX_WEBHOOK_SECRET',
  'ADMIN_EMAILS', 'ADMIN_SPACE_ID', 'ALLOWED_EMAIL_DOMAINS',
  'SCHEDULE_TIMEZONE', 'SYNC_CRON', 'DIGEST_CRON', 'REMINDER_CRON', 'SEAT_EXPIRY_CRON', 'WEBHOOK_CHECK_CRON', 'REQUEST_TTL_DAYS', 'RECLAIM_AFTER_DAYS',
  'WEBEX_LICENSES_TOKEN', 'WEBEX_LICENSES_CLIENT_ID', 'WEBEX_LICENSES_CLIENT_SECRET', 'WEBEX_LICENSES_REFRESH_TOKEN',
  'WEBEX_ORG_ID', 'WEBEX_LICENSES_API_URL',
  'MERAKI_API_KEY', 'MERAKI_ORG_ID', 'MERAKI_API_URL',
  'ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN', 'ZOHO_DC', 'ZOHO_ACCOUNTS_URL', 'ZOHO_API_URL',
  'CPOD_API_URL', 'CPOD_TOKEN',
  'WRITE_BACK_VENDORS', 'WRITE_BACK_DRY_RUN', 'WRITE_BACK_MAX_REMOVALS_PER_HOUR', 'WEBEX_FULL_SDK',
] as const;

const blankToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = (s: z.ZodType) => z.preprocess(blankToUndefined, s.optional());
/** A true/false setting (also 1/0, yes/no), false when unset. */
const flag = () =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(false),
  );
const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL, e.g. https://example.com/path')
  .transform((v) => v.replace(/\/+$/, ''));
const emailList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
  .refine((l) => l.every((e) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)), 'must be a comma-separated list of email addresses');
const domainList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim().toLowerCase().replace(/^@/, '')).filter(Boolean))
  .refine((l) => l.every((d) => /^[a-z0-9.-]+\.[a-z]{2,}$/.test(d)), 'must be a comma-separated list of domains, e.g. example.com');
const cronExpr = z
  .string()
  .trim()
  .refine((v) => isCronExpression(v), 'must be a cron expression with 5 or 6 fields, e.g. "0 * * * *"');
const timezone = z
  .string()
  .trim()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone, e.g. Europe/Berlin or UTC');

export const envSchema = z.object({
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(blankToUndefined, z.string().default('0.0.0.0')),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  // The message never repeats the value: it may hold a password.
  DATABASE_URL: opt(
    z
      .string()
      .trim()
      .refine((v) => isPostgresUrl(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL, e.g. postgres://bot:secret@db.example.com:5432/license_bot (leave empty for the files in DATA_DIR)'),
  ),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  HEALTH_TOKEN: opt(z.string().trim().min(16, 'must be at least 16 characters (it guards internal details)')),
  INSTANCE_ID: opt(z.string().trim().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1-128 letters, digits or . _ : @ -, unique per instance, e.g. bot-1')),
  LEADER_LEASE_TTL_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(3000, 'must be at least 3000 (ms)').max(600_000, 'must be at most 600000 (10 minutes)').default(30_000)),
  SYNC_TIMEOUT_MINUTES: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1440).default(30)),
  VENDOR_MAX_PAGES: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(2000)),
  VENDOR_MAX_RESPONSE_MB: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1024).default(32)),
  WEBEX_TOKEN: opt(z.string().trim().min(10, 'looks too short for a Webex bot token')),
  WEBEX_API_URL: z.preprocess(blankToUndefined, httpUrl.default('https://webexapis.com/v1')),
  WEBEX_WEBHOOK_URL: opt(httpUrl),
  WEBEX_WEBHOOK_PATH: z.preprocess(
    blankToUndefined,
    z.string().regex(/^\/[A-Za-z0-9/_-]*$/, 'must be a path starting with /').default('/webex/webhook'),
  ),
  WEBEX_WEBHOOK_SECRET: opt(
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .refine((l) => l.length > 0 && l.every((s) => s.length >= 16), 'each secret must be at least 16 characters'),
  ),
  ADMIN_EMAILS: z.preprocess(blankToUndefined, emailList.default([])),
  ADMIN_SPACE_ID: opt(z.string().trim()),
  ALLOWED_EMAIL_DOMAINS: z.preprocess(blankToUndefined, domainList.default([])),
  SCHEDULE_TIMEZONE: z.preprocess(blankToUndefined, timezone.default('UTC')),
  SYNC_CRON: z.preprocess(blankToUndefined, cronExpr.default('0 * * * *')),
  DIGEST_CRON: z.preprocess(blankToUndefined, cronExpr.default('0 9 * * 1-5')),
  REMINDER_CRON: z.preprocess(blankToUndefined, cronExpr.default('30 9 * * *')),
  SEAT_EXPIRY_CRON: z.preprocess(blankToUndefined, cronExpr.default('* * * * *')),
  WEBHOOK_CHECK_CRON: z.preprocess(blankToUndefined, cronExpr.default('*/5 * * * *')),
  REQUEST_TTL_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(MAX_DAYS).default(DEFAULT_REQUEST_TTL_DAYS)),
  RECLAIM_AFTER_DAYS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(MAX_DAYS).default(DEFAULT_RECLAIM_AFTER_DAYS)),
  WEBEX_LICENSES_TOKEN: opt(z.string().trim()),
  WEBEX_LICENSES_CLIENT_ID: opt(z.string().trim()),
  WEBEX_LICENSES_CLIENT_SECRET: opt(z.string().trim()),
  WEBEX_LICENSES_REFRESH_TOKEN: opt(z.string().trim()),
  WEBEX_ORG_ID: opt(z.string().trim()),
  WEBEX_LICENSES_API_URL: opt(httpUrl),
  MERAKI_API_KEY: opt(z.string().trim()),
  MERAKI_ORG_ID: opt(z.string().trim()),
  MERAKI_API_URL: z.preprocess(blankToUndefined, httpUrl.default('https://api.meraki.com/api/v1')),
  ZOHO_CLIENT_ID: opt(z.string().trim()),
  ZOHO_CLIENT_SECRET: opt(z.string().trim()),
  ZOHO_REFRESH_TOKEN: opt(z.string().trim()),
  ZOHO_DC: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().toLowerCase().replace(/^\./, '')) : v),
    z
      .string()
      .refine((v) => Object.hasOwn(ZOHO_DC_ALIASES, v), 'must be a Zoho data centre: us (or com), eu, in, au (or com.au), jp, ca, cn (or com.cn), sa, uk')
      .transform((v) => ZOHO_DC_ALIASES[v] ?? 'us')
      .default('us'),
  ),
  ZOHO_ACCOUNTS_URL: opt(httpUrl),
  ZOHO_API_URL: opt(httpUrl),
  CPOD_API_URL: opt(httpUrl),
  CPOD_TOKEN: opt(z.string().trim()),
  WRITE_BACK_VENDORS: z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean))
      .refine(
        (l) => l.every((v) => v === 'webex' || v === 'cpod'),
        'must be a comma-separated list of webex and cpod (Meraki and Zoho CRM are read-only for the bot)',
      )
      .transform((l) => [...new Set(l)] as ('webex' | 'cpod')[])
      .default([]),
  ),
  WRITE_BACK_DRY_RUN: flag(),
  WEBEX_FULL_SDK: flag(),
  WRITE_BACK_MAX_REMOVALS_PER_HOUR: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(100_000).default(20)),
});


/** The environment after validation. */
export type ConfigEnv = z.infer<typeof envSchema>;

function isCronExpression(v: string): boolean {
  const fields = v.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return false;
  return fields.every((f) => /^[\d*/,\-A-Za-z?LW#]+$/.test(f));
}
