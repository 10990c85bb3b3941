import type { Vendor } from './domain/ledger.js';
import { vendorLabel } from './domain/vendor-label.js';

export interface StartupFacts {
  mode: 'sandbox' | 'live';
  /** Where people and Webex reach the bot: label -> URL. */
  urls: readonly { label: string; url: string }[];
  /** Absolute path of the data directory (the lowdb ledger; secrets kept across restarts). */
  dataDir: string;
  /** With PostgreSQL: the database (no password), this instance's id and whether it leads the cron jobs. */
  cluster?: { database: string; instance: string; leader: boolean };
  vendors: readonly Vendor[];
  nextRuns: readonly { job: string; at: Date | null }[];
  timezone: string;
}

/**
 * The one line an operator reads at startup: mode, URLs, data location (and with PostgreSQL the database, this
 * instance and whether it leads), vendors and next scheduled runs,
 * e.g. "license-bot ready (sandbox): chat http://127.0.0.1:3001/, webhook http://127.0.0.1:3000/webex/webhook;
 * data /srv/bot/data; vendors Webex, cPod; next vendor-sync Sun 29 Nov 21:00, daily-digest Mon 30 Nov 09:00 (UTC)".
 */
export function startupLine(facts: StartupFacts): string {
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone: facts.timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const urls = facts.urls.map((u) => `${u.label} ${u.url}`).join(', ');
  const vendors = facts.vendors.length > 0 ? facts.vendors.map(vendorLabel).join(', ') : 'none configured';
  const next = facts.nextRuns.map((r) => `${r.job} ${r.at ? when.format(r.at).replace(',', '') : 'not scheduled'}`).join(', ');
  const c = facts.cluster;
  const where = c ? `ledger ${c.database} as ${c.instance} (${c.leader ? 'leader' : 'follower: cron jobs run on the leader'}); data ${facts.dataDir}` : `data ${facts.dataDir}`;
  return `license-bot ready (${facts.mode}): ${urls}; ${where}; vendors ${vendors}; next ${next || 'nothing scheduled'} (${facts.timezone})`;
}
