// Summaries of a V8 sampling heap profile (.heapprofile: live objects, sampled by allocation site): bytes by the
// owner of the allocating frame, and by the nearest frame of ours (dist/ or src/) up the stack, i.e. "which of
// our calls made this memory that is still alive", plus the biggest allocation stacks.
import { ownerOf } from './analyze-cpu-profile.js';

export interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  id: number;
  children: HeapNode[];
}

export interface HeapProfile {
  head: HeapNode;
}

export interface HeapSummary {
  totalMb: number;
  byOwner: { owner: string; mb: number }[];
  byOurCaller: { fn: string; mb: number }[];
  topStacks: { stack: string; mb: number }[];
}

const MB = 1024 * 1024;
const isOurs = (owner: string): boolean => owner.startsWith('dist/') || owner.startsWith('src/');

export function summarizeHeapProfile(profile: HeapProfile, top = 20): HeapSummary {
  const byOwner = new Map<string, number>();
  const byOurs = new Map<string, number>();
  const stacks = new Map<string, number>();
  let total = 0;
  const name = (n: HeapNode): string => `${n.callFrame.functionName || '(anonymous)'} ${ownerOf(n.callFrame.url, n.callFrame.functionName)}:${n.callFrame.lineNumber + 1}`;
  const visit = (node: HeapNode, path: HeapNode[]): void => {
    const here = [...path, node];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const owner = ownerOf(node.callFrame.url, node.callFrame.functionName);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + node.selfSize);
      const ours = [...here].reverse().find((n) => isOurs(ownerOf(n.callFrame.url, n.callFrame.functionName)));
      const caller = ours ? name(ours) : '(no frame of ours)';
      byOurs.set(caller, (byOurs.get(caller) ?? 0) + node.selfSize);
      const stack = here
        .slice(-6)
        .filter((n) => n.callFrame.functionName !== '(root)')
        .map(name)
        .join(' < ');
      stacks.set(stack, (stacks.get(stack) ?? 0) + node.selfSize);
    }
    for (const c of node.children) visit(c, here);
  };
  visit(profile.head, []);
  const rank = <K extends string>(m: Map<string, number>, key: K) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, bytes]) => ({ [key]: k, mb: Math.round((bytes / MB) * 10) / 10 }) as Record<K, string> & { mb: number });
  return {
    totalMb: Math.round((total / MB) * 10) / 10,
    byOwner: rank(byOwner, 'owner'),
    byOurCaller: rank(byOurs, 'fn'),
    topStacks: rank(stacks, 'stack'),
  };
}

export function formatHeapSummary(title: string, s: HeapSummary): string {
  const block = (head: string, rows: { mb: number; owner?: string; fn?: string; stack?: string }[]): string =>
    `${head}\n${rows.map((r) => `  ${r.mb.toFixed(1).padStart(7)} MB  ${r.owner ?? r.fn ?? r.stack ?? ''}`).join('\n')}`;
  return [
    `== ${title}: ${s.totalMb} MB of sampled live objects`,
    block('by allocating owner', s.byOwner),
    block('by nearest frame of ours', s.byOurCaller),
    block('biggest allocation stacks (innermost first)', s.topStacks),
  ].join('\n');
}
