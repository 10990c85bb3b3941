// The short table `npm run bench` prints at the end: each figure beside its same-run baseline, the ratio, and
// the target where the issue set one. Reads the benchmarks' JSON results defensively (a missing or failed
// benchmark leaves its rows out).

type Row = [metric: string, ours: string, baseline: string, ratio: string, target: string];

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const num = (value: unknown, path: string): number | undefined => {
  const v = at(value, path);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};

const fmt = (n: number | undefined, unit = ''): string => {
  if (n === undefined) return '-';
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return `${n.toFixed(digits)}${unit}`;
};

const ratioOf = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || b === 0 ? '-' : `${(a / b).toFixed(2)}x`;

const verdict = (met: unknown, what: string): string => (met === true ? `${what} ok` : met === false ? `${what} MISSED` : what);

function rows(results: Record<string, unknown>): Row[] {
  const out: Row[] = [];
  const r = results['receiver'];
  if (r !== undefined) {
    out.push(['receiver webhooks/s (vs bare Express HMAC)', fmt(num(r, 'ours.perSecond')), fmt(num(r, 'baseline.perSecond')), ratioOf(num(r, 'ours.perSecond'), num(r, 'baseline.perSecond')), verdict(at(r, 'target.met'), '>=0.8x')]);
    out.push(['receiver p50 / p99 ms (ratio of p99)', `${fmt(num(r, 'ours.latency.p50Ms'))} / ${fmt(num(r, 'ours.latency.p99Ms'))}`, `${fmt(num(r, 'baseline.latency.p50Ms'))} / ${fmt(num(r, 'baseline.latency.p99Ms'))}`, ratioOf(num(r, 'ours.latency.p99Ms'), num(r, 'baseline.latency.p99Ms')), '']);
  }
  const s = results['seat-actions'];
  if (s !== undefined) {
    const sizes = at(s, 'sizes');
    for (const size of Object.keys(typeof sizes === 'object' && sizes !== null ? sizes : {})) {
      const o = `sizes.${size}.ours`;
      const is10k = size === '10000';
      out.push([`clicks/s, 64 people, ${size} seats (vs echo bot)`, fmt(num(s, `${o}.concurrent.clicksPerSecond`)), fmt(num(s, 'baseline.concurrent.clicksPerSecond')), ratioOf(num(s, `${o}.concurrent.clicksPerSecond`), num(s, 'baseline.concurrent.clicksPerSecond')), is10k ? verdict(at(s, 'targets.clicksPerSecondAtLeast2xEcho.met'), '>=2x') : '']);
      out.push([`click p50 / p99 ms, ${size} seats (ratio of p99)`, `${fmt(num(s, `${o}.concurrent.latency.p50Ms`))} / ${fmt(num(s, `${o}.concurrent.latency.p99Ms`))}`, `${fmt(num(s, 'baseline.concurrent.latency.p50Ms'))} / ${fmt(num(s, 'baseline.concurrent.latency.p99Ms'))}`, ratioOf(num(s, `${o}.concurrent.latency.p99Ms`), num(s, 'baseline.concurrent.latency.p99Ms')), is10k ? verdict(at(s, 'targets.p99AtMostEcho.met'), 'p99<=echo') : '']);
      out.push([`sequential click p50 ms, ${size} seats`, fmt(num(s, `${o}.sequential.latency.p50Ms`)), fmt(num(s, 'baseline.sequential.latency.p50Ms')), ratioOf(num(s, `${o}.sequential.latency.p50Ms`), num(s, 'baseline.sequential.latency.p50Ms')), is10k ? verdict(at(s, 'targets.sequentialP50AtMost15ms.met'), '<=15ms') : '']);
      out.push([`bot CPU ms per click, ${size} seats`, fmt(num(s, `${o}.concurrent.cpuMsPerClick`)), fmt(num(s, 'baseline.concurrent.cpuMsPerClick')), ratioOf(num(s, `${o}.concurrent.cpuMsPerClick`), num(s, 'baseline.concurrent.cpuMsPerClick')), at(s, `${o}.ledger.ok`) === true ? 'ledger: each click once' : 'LEDGER CHECK FAILED']);
      out.push([`fake Webex + load CPU ms per click, ${size} seats`, fmt(num(s, `${o}.concurrent.fakeCpuMsPerClick`)), fmt(num(s, 'baseline.concurrent.fakeCpuMsPerClick')), ratioOf(num(s, `${o}.concurrent.fakeCpuMsPerClick`), num(s, 'baseline.concurrent.fakeCpuMsPerClick')), '']);
    }
  }
  const d = results['digest'];
  if (d !== undefined) {
    out.push(['digest to 1,000 spaces, 5% 429, s (vs plain fetch)', fmt(num(d, 'ours.seconds')), fmt(num(d, 'baseline.seconds')), ratioOf(num(d, 'ours.seconds'), num(d, 'baseline.seconds')), at(d, 'lossless') === true ? 'none lost/duplicated' : 'LOST OR DUPLICATED']);
  }
  const pv = results['provisioning'];
  if (pv !== undefined) {
    out.push(['write-back intents/s, 5% 429 (vs bare PATCH calls)', fmt(num(pv, 'ours.intentsPerSecond')), fmt(num(pv, 'baseline.callsPerSecond')), ratioOf(num(pv, 'ours.intentsPerSecond'), num(pv, 'baseline.callsPerSecond')), at(pv, 'ours.exactlyOnce') === true ? 'each seat assigned once' : 'NOT EXACTLY ONCE']);
    out.push(['approval -> assigned p50 / p99 ms (ratio of p99)', `${fmt(num(pv, 'ours.approvalToAssigned.p50Ms'))} / ${fmt(num(pv, 'ours.approvalToAssigned.p99Ms'))}`, `${fmt(num(pv, 'baseline.latency.p50Ms'))} / ${fmt(num(pv, 'baseline.latency.p99Ms'))}`, ratioOf(num(pv, 'ours.approvalToAssigned.p99Ms'), num(pv, 'baseline.latency.p99Ms')), '']);
  }
  const pg = results['store-postgres'];
  if (pg !== undefined) {
    const target = verdict(at(pg, 'target.met'), '>=2000/s one instance');
    out.push(['PostgreSQL mutations/s, 64 callers, 10k seats (vs lowdb journal)', fmt(num(pg, 'postgresOneInstance.perSecond')), fmt(num(pg, 'lowdbJournal.perSecond')), ratioOf(num(pg, 'postgresOneInstance.perSecond'), num(pg, 'lowdbJournal.perSecond')), target]);
    out.push(['  two instances on one database', fmt(num(pg, 'postgresTwoInstances.perSecond')), fmt(num(pg, 'lowdbJournal.perSecond')), ratioOf(num(pg, 'postgresTwoInstances.perSecond'), num(pg, 'lowdbJournal.perSecond')), '']);
    out.push(['  p50 / p99 ms, one instance (ratio of p99)', `${fmt(num(pg, 'postgresOneInstance.p50ms'))} / ${fmt(num(pg, 'postgresOneInstance.p99ms'))}`, `${fmt(num(pg, 'lowdbJournal.p50ms'))} / ${fmt(num(pg, 'lowdbJournal.p99ms'))}`, ratioOf(num(pg, 'postgresOneInstance.p99ms'), num(pg, 'lowdbJournal.p99ms')), '']);
  }
  const st = results['startup'];
  if (st !== undefined) {
    out.push(['ready ms, node dist/main.js, 10k seats (vs echo bot)', fmt(num(st, 'ours.readyMs')), fmt(num(st, 'baseline.readyMs')), ratioOf(num(st, 'ours.readyMs'), num(st, 'baseline.readyMs')), verdict(at(st, 'target.met'), '<=1000ms')]);
    out.push(['RSS MB at ready', fmt(num(st, 'ours.rssMb')), fmt(num(st, 'baseline.rssMb')), ratioOf(num(st, 'ours.rssMb'), num(st, 'baseline.rssMb')), '']);
  }
  const m = results['memory'];
  if (m !== undefined) {
    const marks = (path: string): Record<string, number> => {
      const list = at(m, path);
      const outMarks: Record<string, number> = {};
      if (Array.isArray(list)) for (const mk of list) if (typeof mk === 'object' && mk !== null) outMarks[String((mk as Record<string, unknown>)['interactions'])] = Number((mk as Record<string, unknown>)['rssMb']);
      return outMarks;
    };
    const o = marks('ours.marks');
    const b = marks('baseline.marks');
    for (const n of ['1000', '5000', '10000']) {
      out.push([`RSS MB after ${n} interactions, 10k seats`, fmt(o[n]), fmt(b[n]), ratioOf(o[n], b[n]), n === '10000' ? verdict(at(m, 'target.met'), '<=256MB, flat 5k-10k') : '']);
    }
    out.push(['RSS growth MB 5k -> 10k', fmt(num(m, 'growth5kTo10kMb.ours')), fmt(num(m, 'growth5kTo10kMb.baseline')), '', '<=0']);
  }
  const l = results['ledger'];
  if (l !== undefined) {
    for (const size of ['1000', '10000', '100000']) {
      out.push([`ledger mutations/s, ${size} seats (vs plain lowdb)`, fmt(num(l, `sizes.${size}.ours.perSecond`)), fmt(num(l, `sizes.${size}.baseline.perSecond`)), ratioOf(num(l, `sizes.${size}.ours.perSecond`), num(l, `sizes.${size}.baseline.perSecond`)), '']);
    }
  }
  const w = results['webex-latency'];
  if (w !== undefined) {
    out.push(['echo reply p50 ms, our batcher wait (vs SDK default)', fmt(num(w, 'ours.p50Ms')), fmt(num(w, 'sdkDefault.p50Ms')), ratioOf(num(w, 'ours.p50Ms'), num(w, 'sdkDefault.p50Ms')), '']);
  }
  const y = results['sync'];
  if (y !== undefined) {
    out.push(['vendor sync 50k Meraki + 10k Webex, s / peak RSS MB', `${fmt(num(y, 'seconds'))} / ${fmt(num(y, 'peakRssMb'))}`, '-', '', verdict(at(y, 'targetsMet'), '<10s, <300MB')]);
  }
  return out;
}

/** A plain-text table of the results, one line per figure. */
export function benchTable(results: Record<string, unknown>, failed: readonly string[]): string {
  const header: Row = ['metric', 'ours', 'baseline', 'ratio', 'target'];
  const all = [header, ...rows(results)];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  const line = (row: Row): string => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('-|-');
  const failures = failed.length > 0 ? `\nFAILED: ${failed.join(', ')}\n` : '';
  return `${line(header)}\n${sep}\n${all.slice(1).map(line).join('\n')}\n${failures}`;
}
