// Reads a V8 heap snapshot (.heapsnapshot, from v8.writeHeapSnapshot or the profile agent's `snapshot` command):
// self size and count per kind of object (constructor, closure name, strings...), the difference between two
// snapshots, and the shortest retaining path from a GC root to objects that match a predicate (what keeps them).
import { readFileSync } from 'node:fs';

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface HeapSnapshot {
  nodeCount: number;
  type(i: number): string;
  name(i: number): string;
  selfSize(i: number): number;
  /** The object's id: stable across snapshots of one process, increasing for newer objects. */
  id(i: number): number;
  /** Kind used for grouping: "object Foo", "closure bar", "string", "array", "code", ... */
  kind(i: number): string;
  /** Shortest path from a GC root to node i, as "name --edge--> name" lines (empty if unreachable). */
  retainingPath(i: number, maxLength?: number): string[];
  /** Node indexes matching `pred`. */
  find(pred: (i: number) => boolean): number[];
}

export function readHeapSnapshot(file: string): HeapSnapshot {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
  const meta = raw.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const fType = meta.node_fields.indexOf('type');
  const fName = meta.node_fields.indexOf('name');
  const fSize = meta.node_fields.indexOf('self_size');
  const fEdges = meta.node_fields.indexOf('edge_count');
  const fId = meta.node_fields.indexOf('id');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const { nodes, edges, strings } = raw;
  const nodeCount = nodes.length / nf;

  // First edge of each node (edges are stored node by node, in node order).
  const firstEdge = new Int32Array(nodeCount + 1);
  for (let i = 0, e = 0; i < nodeCount; i++) {
    firstEdge[i] = e;
    e += (nodes[i * nf + fEdges] ?? 0) * ef;
    firstEdge[i + 1] = e;
  }
  const edgeTypeOf = (e: number): string => edgeTypes[edges[e + eType] ?? 0] ?? '?';
  const edgeLabel = (e: number): string => {
    const t = edgeTypeOf(e);
    const v = edges[e + eName] ?? 0;
    return t === 'element' || t === 'hidden' ? `[${v}]` : (strings[v] ?? String(v));
  };

  // Distance from the roots (node 0 is the synthetic root) over strong edges, and one retainer per node on a
  // shortest path, by breadth-first search.
  const dist = new Int32Array(nodeCount).fill(-1);
  const via = new Int32Array(nodeCount).fill(-1);
  const viaEdge = new Int32Array(nodeCount).fill(-1);
  const queue = new Int32Array(nodeCount);
  let head = 0;
  let tail = 0;
  dist[0] = 0;
  queue[tail++] = 0;
  while (head < tail) {
    const n = queue[head++] ?? 0;
    for (let e = firstEdge[n] ?? 0; e < (firstEdge[n + 1] ?? 0); e += ef) {
      if (edgeTypeOf(e) === 'weak') continue;
      const to = (edges[e + eTo] ?? 0) / nf;
      if (dist[to] !== -1) continue;
      dist[to] = (dist[n] ?? 0) + 1;
      via[to] = n;
      viaEdge[to] = e;
      queue[tail++] = to;
    }
  }

  const type = (i: number): string => nodeTypes[nodes[i * nf + fType] ?? 0] ?? '?';
  const name = (i: number): string => strings[nodes[i * nf + fName] ?? 0] ?? '';
  const selfSize = (i: number): number => nodes[i * nf + fSize] ?? 0;
  const kind = (i: number): string => {
    const t = type(i);
    if (t === 'string' || t === 'concatenated string' || t === 'sliced string') return 'string';
    if (t === 'object' || t === 'closure' || t === 'native') return `${t} ${name(i)}`;
    if (t === 'hidden' || t === 'array' || t === 'code') return `${t} ${name(i).slice(0, 40)}`;
    return t;
  };
  const label = (i: number): string => {
    const t = type(i);
    const n = name(i);
    return t === 'string' || t === 'concatenated string' ? `"${n.slice(0, 60)}"` : `${t} ${n.slice(0, 80)}`;
  };
  return {
    nodeCount,
    type,
    name,
    selfSize,
    id: (i) => nodes[i * nf + fId] ?? 0,
    kind,
    retainingPath(i, maxLength = 25) {
      const out: string[] = [];
      for (let cur = i, steps = 0; cur > 0 && steps < maxLength; steps++) {
        const from = via[cur] ?? -1;
        if (from < 0) return out.length === 0 ? ['(unreachable from the roots: garbage)'] : out;
        out.push(`${label(from)} --${edgeLabel(viaEdge[cur] ?? 0)}--> ${label(cur)}`);
        cur = from;
      }
      return out.reverse();
    },
    find(pred) {
      const out: number[] = [];
      for (let i = 0; i < nodeCount; i++) if (pred(i)) out.push(i);
      return out;
    },
  };
}

export interface KindTotals {
  kind: string;
  count: number;
  bytes: number;
}

/** Self size and count per kind. */
export function totalsByKind(s: HeapSnapshot): Map<string, KindTotals> {
  const out = new Map<string, KindTotals>();
  for (let i = 0; i < s.nodeCount; i++) {
    const k = s.kind(i);
    const t = out.get(k) ?? { kind: k, count: 0, bytes: 0 };
    t.count += 1;
    t.bytes += s.selfSize(i);
    out.set(k, t);
  }
  return out;
}

/** Kinds that grew most from `before` to `after`, by bytes. */
export function growth(before: Map<string, KindTotals>, after: Map<string, KindTotals>, top = 25): { kind: string; count: number; mb: number }[] {
  return [...after.values()]
    .map((a) => {
      const b = before.get(a.kind);
      return { kind: a.kind, count: a.count - (b?.count ?? 0), mb: (a.bytes - (b?.bytes ?? 0)) / 1048576 };
    })
    .sort((x, y) => y.mb - x.mb)
    .slice(0, top)
    .map((g) => ({ ...g, mb: Math.round(g.mb * 100) / 100 }));
}
