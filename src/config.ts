import { ConfigError, type ConfigIssue } from './errors.js';
import { envSchema, ZOHO_DCS, type ConfigEnv, type ZohoDc } from './config-env.js';

/** Validated, frozen settings. Built once at startup by `loadConfig(process.env)` in main.ts. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /**
   * DATABASE_URL: the ledger in PostgreSQL (`postgres://user:password@host:5432/db`), shared by every
   * instance; null = lowdb files in dataDir. Holds a password: log `describeDatabaseUrl(url)`, never this.
   */
  readonly databaseUrl: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Bearer token that unlocks the detailed `/healthz`; null = only the minimal public status. */
  readonly healthToken: string | null;
  /** This instance's name in the leader lease and /healthz (INSTANCE_ID); null = main.ts uses `<hostname>:<pid>`. */
  readonly instanceId: string | null;
  /**
   * The scheduler's leader lease (LEADER_LEASE_TTL_MS): how long it lasts without renewal, and how often the
   * holder renews and the others try to take it (a third of the TTL). main.ts passes it to openCluster.
   */
  readonly leaderLease: { readonly ttlMs: number; readonly renewEveryMs: number };
  /** Limits on what vendors may cost one sync: a sync past any of them fails and leaves the ledger as it was. */
  readonly budgets: {
    /** Wall time of one whole sync run (all vendors). */
    readonly syncTimeoutMs: number;
    /** Pages per paginated listing walk. */
    readonly vendorMaxPages: number;
    /** Bytes of one vendor response body (read as a stream, refused past this). */
    readonly vendorMaxResponseBytes: number;
  };
  readonly webex: {
    /** null = run the local sandbox. */
    readonly token: string | null;
    readonly apiUrl: string;
    readonly webhookUrl: string | null;
    readonly webhookPath: string;
    /** The first secret signs the webhooks we register; any of them verifies (rotation). */
    readonly webhookSecrets: readonly string[];
    /** WEBEX_FULL_SDK: give the framework the stock Webex SDK (all plugins) instead of the slim one. */
    readonly fullSdk: boolean;
  };
  readonly access: {
    readonly adminEmails: readonly string[];
    readonly adminSpaceId: string | null;
    readonly allowedEmailDomains: readonly string[];
  };
  readonly schedule: {
    readonly timezone: string;
    readonly syncCron: string;
    readonly digestCron: string;
    readonly reminderCron: string;
    /** Ends time-bound seats whose time is up and warns their holders a day and an hour ahead (SEAT_EXPIRY_CRON). */
    readonly seatExpiryCron: string;
    /** Checks the bot's Webex webhooks, reactivating or recreating them (WEBHOOK_CHECK_CRON). */
    readonly webhookCheckCron: string;
    /** Days a request may wait for an admin before the reminder job closes it as expired (REQUEST_TTL_DAYS). */
    readonly requestTtlDays: number;
    /** Days a seat may go unused (vendor last use) before the reclaim step asks its holder (RECLAIM_AFTER_DAYS). */
    readonly reclaimAfterDays?: number;
  };
  readonly vendors: {
    readonly webex: WebexLicensesVendor | null;
    readonly meraki: { readonly apiKey: string; readonly orgId: string; readonly apiUrl: string } | null;
    readonly zoho: {
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
      readonly dc: ZohoDc;
      readonly accountsUrl: string;
      readonly apiUrl: string;
      /** ZOHO_API_URL was set: `apiUrl` is used even when Zoho's token answer names another `api_domain`. */
      readonly apiUrlPinned?: boolean;
    } | null;
    readonly cpod: { readonly apiUrl: string; readonly token: string } | null;
  };
  /** Assigning and removing seats at the vendors on approval and release (README "Write-back"). */
  readonly writeBack: {
    /** WRITE_BACK_VENDORS: vendors written to; empty = nothing is written. */
    readonly vendors: readonly ('webex' | 'cpod')[];
    /** WRITE_BACK_DRY_RUN: log and show the exact calls, make none. */
    readonly dryRun: boolean;
    /** WRITE_BACK_MAX_REMOVALS_PER_HOUR: past it removals pause and the admins are alerted once. */
    readonly maxRemovalsPerHour: number;
  };
}

/**
 * Webex license reads: a fixed admin token (WEBEX_LICENSES_TOKEN), or refresh-token credentials of an
 * integration or service app (WEBEX_LICENSES_CLIENT_ID, _CLIENT_SECRET, _REFRESH_TOKEN) whose access tokens are
 * refreshed as they expire. Never both: loadConfig refuses that.
 */
export type WebexLicensesVendor = { readonly orgId: string | null; readonly apiUrl: string } & (
  | { readonly token: string; readonly refresh?: null }
  | {
      readonly token: null;
      readonly refresh: { readonly clientId: string; readonly clientSecret: string; readonly refreshToken: string };
    }
);

/** Reads and validates every setting once; throws ConfigError naming each bad or missing key. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(env);
  const issues: ConfigIssue[] = [];
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      issues.push({ key: String(i.path[0] ?? '(root)'), message: i.message });
    }
  }
  // Settings that only make sense together are checked on the raw values, so one run lists every problem.
  const present = (k: string): boolean => typeof env[k] === 'string' && env[k].trim() !== '';
  const group = (name: string, keys: readonly string[]): boolean => {
    const set = keys.filter(present);
    if (set.length > 0 && set.length < keys.length) {
      for (const k of keys.filter((k) => !present(k))) {
        issues.push({ key: k, message: `is required when any ${name} setting is set (${set.join(', ')})` });
      }
    }
    return set.length === keys.length;
  };
  if (present('WEBEX_TOKEN')) {
    if (!present('WEBEX_WEBHOOK_URL')) {
      issues.push({ key: 'WEBEX_WEBHOOK_URL', message: 'is required with WEBEX_TOKEN: the public https URL Webex posts to' });
    }
    if (!present('WEBEX_WEBHOOK_SECRET')) {
      issues.push({ key: 'WEBEX_WEBHOOK_SECRET', message: 'is required with WEBEX_TOKEN: webhooks are verified with it' });
    }
  }
  // Webex license reads: a fixed token or the three refresh keys (all of them), never both.
  const webexRefreshKeys = ['WEBEX_LICENSES_CLIENT_ID', 'WEBEX_LICENSES_CLIENT_SECRET', 'WEBEX_LICENSES_REFRESH_TOKEN'];
  const webexTokenOn = present('WEBEX_LICENSES_TOKEN');
  const webexRefreshOn = group('Webex licenses refresh', webexRefreshKeys);
  if (webexTokenOn && webexRefreshKeys.some(present)) {
    issues.push({
      key: 'WEBEX_LICENSES_TOKEN',
      message:
        'set either WEBEX_LICENSES_TOKEN (a fixed admin token) or WEBEX_LICENSES_CLIENT_ID, WEBEX_LICENSES_CLIENT_SECRET and WEBEX_LICENSES_REFRESH_TOKEN (refreshed tokens), not both: unset the one you do not use',
    });
  }
  const merakiOn = group('Meraki', ['MERAKI_API_KEY', 'MERAKI_ORG_ID']);
  const zohoOn = group('Zoho CRM', ['ZOHO_CLIENT_ID', 'ZOHO_CLIENT_SECRET', 'ZOHO_REFRESH_TOKEN']);
  const cpodOn = group('cPod', ['CPOD_API_URL', 'CPOD_TOKEN']);
  if (!parsed.success || issues.length > 0) throw new ConfigError(issues);

  const e = parsed.data as ConfigEnv & Record<string, unknown>;
  const str = (k: string): string | undefined => e[k] as string | undefined;
  const token = e.WEBEX_TOKEN as string | undefined;
  const secrets = e.WEBEX_WEBHOOK_SECRET as string[] | undefined;
  const dc = e.ZOHO_DC;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: str('DATABASE_URL') ?? null,
    logLevel: e.LOG_LEVEL,
    healthToken: str('HEALTH_TOKEN') ?? null,
    instanceId: str('INSTANCE_ID') ?? null,
    leaderLease: { ttlMs: e.LEADER_LEASE_TTL_MS, renewEveryMs: Math.round(e.LEADER_LEASE_TTL_MS / 3) },
    budgets: {
      syncTimeoutMs: e.SYNC_TIMEOUT_MINUTES * 60_000,
      vendorMaxPages: e.VENDOR_MAX_PAGES,
      vendorMaxResponseBytes: e.VENDOR_MAX_RESPONSE_MB * 1024 * 1024,
    },
    webex: {
      token: token ?? null,
      apiUrl: e.WEBEX_API_URL,
      webhookUrl: (e.WEBEX_WEBHOOK_URL as string | undefined) ?? null,
      webhookPath: e.WEBEX_WEBHOOK_PATH,
      webhookSecrets: secrets ?? [],
      fullSdk: e.WEBEX_FULL_SDK,
    },
    access: {
      adminEmails: e.ADMIN_EMAILS,
      adminSpaceId: str('ADMIN_SPACE_ID') ?? null,
      allowedEmailDomains: e.ALLOWED_EMAIL_DOMAINS,
    },
    schedule: {
      timezone: e.SCHEDULE_TIMEZONE,
      syncCron: e.SYNC_CRON,
      digestCron: e.DIGEST_CRON,
      reminderCron: e.REMINDER_CRON,
      seatExpiryCron: e.SEAT_EXPIRY_CRON,
      webhookCheckCron: e.WEBHOOK_CHECK_CRON,
      requestTtlDays: e.REQUEST_TTL_DAYS,
      reclaimAfterDays: e.RECLAIM_AFTER_DAYS,
    },
    vendors: {
      webex: webexRefreshOn
        ? {
            token: null,
            refresh: {
              clientId: str('WEBEX_LICENSES_CLIENT_ID')!,
              clientSecret: str('WEBEX_LICENSES_CLIENT_SECRET')!,
              refreshToken: str('WEBEX_LICENSES_REFRESH_TOKEN')!,
            },
            orgId: str('WEBEX_ORG_ID') ?? null,
            apiUrl: str('WEBEX_LICENSES_API_URL') ?? e.WEBEX_API_URL,
          }
        : webexTokenOn
          ? { token: str('WEBEX_LICENSES_TOKEN')!, orgId: str('WEBEX_ORG_ID') ?? null, apiUrl: str('WEBEX_LICENSES_API_URL') ?? e.WEBEX_API_URL }
          : null,
      meraki: merakiOn ? { apiKey: str('MERAKI_API_KEY')!, orgId: str('MERAKI_ORG_ID')!, apiUrl: e.MERAKI_API_URL } : null,
      zoho: zohoOn
        ? {
            clientId: str('ZOHO_CLIENT_ID')!,
            clientSecret: str('ZOHO_CLIENT_SECRET')!,
            refreshToken: str('ZOHO_REFRESH_TOKEN')!,
            dc,
            accountsUrl: str('ZOHO_ACCOUNTS_URL') ?? ZOHO_DCS[dc].accounts,
            apiUrl: str('ZOHO_API_URL') ?? ZOHO_DCS[dc].api,
            apiUrlPinned: str('ZOHO_API_URL') !== undefined,
          }
        : null,
      cpod: cpodOn ? { apiUrl: str('CPOD_API_URL')!, token: str('CPOD_TOKEN')! } : null,
    },
    writeBack: {
      vendors: e.WRITE_BACK_VENDORS,
      dryRun: e.WRITE_BACK_DRY_RUN,
      maxRemovalsPerHour: e.WRITE_BACK_MAX_REMOVALS_PER_HOUR,
    },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
