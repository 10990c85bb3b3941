import type { Vendor } from '../domain/ledger.js';
import { vendorLabel } from '../domain/vendor-label.js';
import { calendarDaysBetween } from '../domain/calendar-days.js';
import { formatDateTime } from '../cards/format-date.js';
import { countOf } from '../cards/count-of.js';
import { safeMd, type Markdown } from '../cards/safe-md.js';
import type { Reply, ReplyTarget } from './chat-event.js';
import type { BotContext } from './bot-context.js';
import type { SyncOutcome, SyncProgress, SyncTrigger } from './bot-deps.js';
import { replyText } from './reply-card.js';
import { syncResultText } from './sync-result-text.js';

const STARTED_BY: Readonly<Record<SyncProgress['trigger'], string>> = {
  schedule: 'by the schedule',
  command: 'by an admin in chat',
  cli: 'from the command line (npm run sync)',
  startup: 'when I started',
};

/** Spaces already promised the result of a run, per runner and run (by its start time): one result each. */
const promised = new WeakMap<SyncTrigger, Map<string, Set<string>>>();

const spaceKey = (to: ReplyTarget): string => JSON.stringify(to);

/** True the first time this space is promised this run's result. */
function promise(runner: SyncTrigger, run: SyncProgress, to: ReplyTarget): boolean {
  let runs = promised.get(runner);
  if (!runs) promised.set(runner, (runs = new Map<string, Set<string>>()));
  for (const startedAt of runs.keys()) if (startedAt !== run.startedAt) runs.delete(startedAt);
  let spaces = runs.get(run.startedAt);
  if (!spaces) runs.set(run.startedAt, (spaces = new Set<string>()));
  if (spaces.has(spaceKey(to))) return false;
  spaces.add(spaceKey(to));
  return true;
}

function minutesAgo(ctx: BotContext, startedAt: string): string {
  const minutes = Math.max(0, Math.floor((Date.parse(ctx.now) - Date.parse(startedAt)) / 60_000));
  if (Number.isNaN(minutes)) return '';
  const days = calendarDaysBetween(startedAt, ctx.now, ctx.timeZone) ?? 0;
  return minutes < 1 ? ', under a minute ago' : days > 0 || minutes >= 120 ? '' : `, ${countOf(minutes, 'minute')} ago`;
}

/** "started 2026-03-02 09:00 UTC by the schedule, 4 minutes ago; done: Webex (ok); still to do: Meraki, cPod" */
function progressText(ctx: BotContext, run: SyncProgress): Markdown {
  const done = run.vendorsDone.map((d) => `${vendorLabel(d.vendor)} (${d.status})`);
  const doneSet = new Set(run.vendorsDone.map((d) => d.vendor));
  const left = run.vendors.filter((v) => !doneSet.has(v)).map(vendorLabel);
  return safeMd`started ${formatDateTime(run.startedAt, ctx.timeZone)} ${STARTED_BY[run.trigger]}${minutesAgo(ctx, run.startedAt)}; done: ${done.length > 0 ? done.join(', ') : 'none yet'}; still to do: ${left.length > 0 ? left.join(', ') : 'nothing (finishing)'}`;
}

/** Posts the finished report here; a run that lost the race to another run follows that one instead. */
async function postResult(ctx: BotContext, runner: SyncTrigger, report: Promise<SyncOutcome | null>, to: ReplyTarget, parentId: string | null): Promise<void> {
  let done = await report;
  if (done?.status === 'already_running') done = await runner.whenDone();
  if (done === null) return;
  await ctx.deps.outbox.send([replyText(to, syncResultText(done), parentId)]);
}

/**
 * `sync`: starts a sync and posts its result in this space when it ends; while one is already running, says
 * since when, who started it and which vendors are done, and posts that sync's result here when it ends (once per
 * space, however often it is asked).
 */
export function startOrFollowSync(ctx: BotContext, runner: SyncTrigger, vendor: Vendor | undefined): Reply[] {
  const { here, parentId } = ctx;
  const running = runner.current();
  if (running) {
    const other = vendor !== undefined && !running.vendors.includes(vendor) ? safeMd` It does not cover ${vendorLabel(vendor)}: ask again for it once this one is done.` : safeMd``;
    if (!promise(runner, running, here)) {
      return [replyText(here, safeMd`That sync is still running (${progressText(ctx, running)}). Its result will be posted here when it ends.${other}`, parentId)];
    }
    ctx.track(postResult(ctx, runner, runner.whenDone(), here, parentId));
    return [replyText(here, safeMd`A sync is already running (${progressText(ctx, running)}), so I did not start another. I will post its result here when it ends.${other}`, parentId)];
  }
  const report = runner.run(vendor === undefined ? { trigger: 'command' } : { vendor, trigger: 'command' });
  const started = runner.current();
  if (started) promise(runner, started, here);
  ctx.track(postResult(ctx, runner, report, here, parentId));
  const names = (vendor === undefined ? runner.vendors() : [vendor]).map(vendorLabel).join(', ');
  return [replyText(here, safeMd`Syncing ${names}… I will post the result here.`, parentId)];
}
