import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Change } from '../../domain/ledger.js';
import { StoreError, errorMessage } from '../../errors.js';

export interface JournalEntry {
  seq: number;
  changes: Change[];
}

export interface JournalContents {
  /** Committed mutations with seq > afterSeq, in order. */
  entries: JournalEntry[];
  /** Complete lines in the file (including those the snapshot already holds). */
  lines: number;
  /** Byte length of the complete lines: everything after it is a torn tail. */
  goodBytes: number;
  /** Bytes of an unfinished last line (a crash mid-append; never acknowledged). */
  tornBytes: number;
  /** Highest seq in the file, or afterSeq when there is none above it. */
  lastSeq: number;
}

const id = z.string();
// Light per-change check (type and key present); records themselves are not validated deeply.
const changeShape = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pool.put'), pool: z.looseObject({ id }) }),
  z.object({ type: z.literal('assignment.put'), assignment: z.looseObject({ id, poolId: id }) }),
  z.object({ type: z.literal('audit.add'), event: z.looseObject({ id }) }),
  z.object({ type: z.literal('idempotency.put'), record: z.looseObject({ key: id }) }),
  z.object({ type: z.literal('idempotency.delete'), key: id }),
  z.object({ type: z.literal('syncRun.put'), run: z.looseObject({ id }) }),
  z.object({ type: z.literal('syncRun.delete'), id }),
  z.object({ type: z.literal('drift.put'), finding: z.looseObject({ id }) }),
  z.object({ type: z.literal('space.put'), space: z.looseObject({ roomId: id }) }),
  z.object({ type: z.literal('notice.put'), notice: z.looseObject({ id }) }),
  z.object({ type: z.literal('waitlist.put'), entry: z.looseObject({ id }) }),
  z.object({ type: z.literal('provision.put'), intent: z.looseObject({ id, assignmentId: id }) }),
  z.object({ type: z.literal('provisionHold.put'), hold: z.looseObject({ id }) }),
  z.object({ type: z.literal('provisionHold.delete'), id }),
]);
const lineShape = z.object({ seq: z.number().int().positive(), changes: z.array(z.looseObject({})) });

const NEWLINE = 0x0a;

/**
 * Reads the NDJSON journal `{"seq":n,"changes":[...]}` per line. A missing file is an empty journal. The
 * last line may be torn (no newline, or not JSON): it is reported in `tornBytes`, not an error. A bad line
 * anywhere else, a wrong shape or a gap in seq numbers is STORE_CORRUPT naming the file and line.
 * Read-only: the caller decides whether to cut the torn tail.
 */
export async function readJournal(path: string, afterSeq: number): Promise<JournalContents> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { entries: [], lines: 0, goodBytes: 0, tornBytes: 0, lastSeq: afterSeq };
    }
    throw new StoreError('STORE_UNREADABLE', path, `Cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
  const corrupt = (lineNo: number, problem: string): StoreError =>
    new StoreError('STORE_CORRUPT', path, `${path} line ${lineNo}: ${problem}; the journal is damaged, restore a backup`);

  const entries: JournalEntry[] = [];
  let start = 0;
  let lineNo = 0;
  let prevSeq: number | null = null;
  while (start < buf.length) {
    const end = buf.indexOf(NEWLINE, start);
    lineNo++;
    if (end === -1) break; // unfinished last line: torn
    const text = buf.toString('utf8', start, end);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      if (end + 1 === buf.length) break; // last line, garbled by a crash mid-append: torn
      throw corrupt(lineNo, 'not valid JSON');
    }
    const line = lineShape.safeParse(json);
    if (!line.success) throw corrupt(lineNo, `not a journal entry (${line.error.issues[0]?.message ?? 'bad shape'})`);
    const { seq } = line.data;
    if (prevSeq !== null && seq !== prevSeq + 1) throw corrupt(lineNo, `seq ${seq} follows ${prevSeq}`);
    if (prevSeq === null && seq > afterSeq + 1) {
      throw corrupt(lineNo, `seq ${seq} but the snapshot ends at ${afterSeq}: mutations ${afterSeq + 1}..${seq - 1} are missing`);
    }
    prevSeq = seq;
    if (seq > afterSeq) {
      for (const [i, c] of line.data.changes.entries()) {
        const ok = changeShape.safeParse(c);
        if (!ok.success) throw corrupt(lineNo, `change ${i} is malformed (${ok.error.issues[0]?.message ?? 'bad shape'})`);
      }
      // Checked above: every change has a known type and the key its collection is indexed by.
      entries.push({ seq, changes: line.data.changes as unknown as Change[] });
    }
    start = end + 1;
  }
  return {
    entries,
    lines: lineNo - (start < buf.length ? 1 : 0),
    goodBytes: start,
    tornBytes: buf.length - start,
    lastSeq: Math.max(afterSeq, prevSeq ?? 0),
  };
}
