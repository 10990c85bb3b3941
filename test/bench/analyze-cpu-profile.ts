// Summaries of a V8 CPU profile (.cpuprofile, as `node --cpu-prof` or the inspector writes it): where the time
// went by owner (our dist/ files, each npm package, node internals), the hottest functions by self time, and
// "on the stack" (inclusive) time per owner and per function of ours. Times are from the samples' time deltas.

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface CpuSummary {
  wallMs: number;
  busyMs: number;
  idleMs: number;
  gcMs: number;
  /** Self time per owner, busy only, biggest first. */
  selfByOwner: { owner: string; ms: number; share: number }[];
  /** Time with the owner anywhere on the stack (a sample counts once per owner). */
  inclusiveByOwner: { owner: string; ms: number; share: number }[];
  topSelf: { fn: string; ms: number; share: number }[];
  /** Our own functions (dist/ or src/) by inclusive time. */
  oursInclusive: { fn: string; ms: number; share: number }[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Who a frame belongs to: "dist/bot/bot.js", "npm:express", "node:internal/…", or "(gc)" etc. */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') return SPECIAL.has(functionName) ? functionName : '(native)';
  if (url.startsWith('node:')) {
    const m = /^node:(internal\/deps\/[^/]+|internal\/[^/]+|[^/]+)/.exec(url);
    return `node:${m?.[1] ?? url}`;
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    const pkg = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : (rest[0] ?? url);
    if (pkg === '.cache') return `bench:${rest.at(-1) ?? url}`;
    return `npm:${pkg}`;
  }
  const dist = /\/(dist|src)\/(.+)$/.exec(url);
  if (dist) return `${dist[1]}/${dist[2]}`;
  return url;
}

const isOurs = (owner: string): boolean => owner.startsWith('dist/') || owner.startsWith('src/');

export function summarizeCpuProfile(profile: CpuProfile, window?: { fromUs?: number; toUs?: number }, top = 25): CpuSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameName = (id: number): string => {
    const n = byId.get(id);
    if (!n) return '?';
    const { functionName, url, lineNumber } = n.callFrame;
    const owner = ownerOf(url, functionName);
    return `${functionName || '(anonymous)'} ${owner}:${lineNumber + 1}`;
  };
  const ownerOfNode = (id: number): string => {
    const n = byId.get(id);
    return n ? ownerOf(n.callFrame.url, n.callFrame.functionName) : '?';
  };

  const selfOwner = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const inclOwner = new Map<string, number>();
  const inclOurs = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  let busy = 0;
  let t = profile.startTime;
  const from = window?.fromUs ?? -Infinity;
  const to = window?.toUs ?? Infinity;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t > to) continue;
    first = Math.min(first, t);
    last = Math.max(last, t);
    // The time until the next sample is this sample's duration.
    const dur = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const id = profile.samples[i]!;
    const owner = ownerOfNode(id);
    if (owner === '(idle)') {
      idle += dur;
      continue;
    }
    busy += dur;
    if (owner === '(garbage collector)') gc += dur;
    selfOwner.set(owner, (selfOwner.get(owner) ?? 0) + dur);
    const fn = frameName(id);
    selfFn.set(fn, (selfFn.get(fn) ?? 0) + dur);
    const owners = new Set<string>();
    const ours = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const o = ownerOfNode(cur);
      owners.add(o);
      if (isOurs(o)) ours.add(frameName(cur));
    }
    for (const o of owners) inclOwner.set(o, (inclOwner.get(o) ?? 0) + dur);
    for (const f of ours) inclOurs.set(f, (inclOurs.get(f) ?? 0) + dur);
  }
  const rank = (m: Map<string, number>, key: 'owner' | 'fn', n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => ({ [key]: k, ms: Math.round(ms), share: Math.round((ms / busy) * 1000) / 10 }) as { owner: string; fn: string; ms: number; share: number });
  return {
    wallMs: Math.round((last - first) / 1000),
    busyMs: Math.round(busy),
    idleMs: Math.round(idle),
    gcMs: Math.round(gc),
    selfByOwner: rank(selfOwner, 'owner', top),
    inclusiveByOwner: rank(inclOwner, 'owner', top).filter((r) => r.owner !== '(root)'),
    topSelf: rank(selfFn, 'fn', top),
    oursInclusive: rank(inclOurs, 'fn', top),
  };
}

/** The summary as text: one block per list, "ms  share%  name". */
export function formatCpuSummary(title: string, s: CpuSummary, perUnit?: { count: number; unit: string }): string {
  const per = (ms: number): string => (perUnit ? `  ${(ms / perUnit.count).toFixed(3)} ms/${perUnit.unit}` : '');
  const block = (name: string, rows: { ms: number; share: number; owner?: string; fn?: string }[]): string =>
    `${name}\n${rows.map((r) => `  ${String(r.ms).padStart(7)} ms ${r.share.toFixed(1).padStart(5)}%${per(r.ms)}  ${r.owner ?? r.fn ?? ''}`).join('\n')}`;
  return [
    `== ${title}: wall ${s.wallMs} ms, busy ${s.busyMs} ms (${perUnit ? `${(s.busyMs / perUnit.count).toFixed(2)} ms/${perUnit.unit}, ` : ''}GC ${s.gcMs} ms), idle ${s.idleMs} ms`,
    block('self time by owner', s.selfByOwner),
    block('on-stack (inclusive) time by owner', s.inclusiveByOwner),
    block('hottest functions (self)', s.topSelf),
    block('our functions, inclusive', s.oursInclusive),
  ].join('\n');
}
