import type { Change } from '../../domain/ledger.js';
import { assertJsonable } from '../assert-jsonable.js';

/**
 * One mutation waiting for the journal. A small mutation is serialised when it is committed (`line`); a big
 * one (a vendor sync: ~60k changes, tens of MB of JSON) keeps only its `changes` and is serialised change by
 * change while it is written, so its line never exists as one string or one Buffer. Records are replaced
 * whole, never mutated, so serialising later writes the same bytes.
 */
export interface JournalEntryOut {
  seq: number;
  line: string | null;
  changes: readonly Change[] | null;
}

/**
 * Characters of JSON gathered before they are turned into a Buffer and written: bounds the write's memory,
 * and stays small enough that the pieces die young (strings over ~128 KB go to V8's large-object space and
 * wait there for a full GC).
 */
export const JOURNAL_CHUNK_CHARS = 1 << 16;

/**
 * Checks that every change can be stored as JSON (throws JSON.stringify's error otherwise: BigInt, cycles;
 * past `maxChars` the check is assertJsonable, which builds no text) and returns the journal line
 * `{"seq":n,"changes":[...]}\n`, or null when the line would pass `maxChars`: the caller then keeps the
 * changes and `journalChunks` serialises them at write time. The text is byte-for-byte what
 * JSON.stringify({ seq, changes }) gives, so the journal format and its reader are unchanged.
 */
export function encodeMutation(
  seq: number,
  changes: readonly Change[],
  maxChars = JOURNAL_CHUNK_CHARS,
): string | null {
  let line: string | null = `{"seq":${seq},"changes":[`;
  for (let i = 0; i < changes.length; i++) {
    if (line === null) {
      assertJsonable(changes[i]); // too big to keep as one string: only checked, no text built
      continue;
    }
    const text = stringifyChange(changes[i]);
    line += i === 0 ? text : `,${text}`;
    if (line.length > maxChars) line = null;
  }
  return line === null ? null : `${line}]}\n`;
}

/**
 * The bytes of `entries`' journal lines, in order, as Buffers of about `chunkChars` characters each, made
 * lazily as the consumer pulls them (serialisation of one chunk, then its write, then the next). Each
 * entry's line or changes are released once they are serialised. `tally.bytes` counts what was yielded.
 */
export function* journalChunks(
  entries: JournalEntryOut[],
  tally: { bytes: number },
  chunkChars = JOURNAL_CHUNK_CHARS,
): Generator<Buffer> {
  let out = '';
  const flush = (): Buffer => {
    const buf = Buffer.from(out, 'utf8');
    out = '';
    tally.bytes += buf.length;
    return buf;
  };
  for (const entry of entries) {
    if (entry.line !== null) {
      out += entry.line;
      entry.line = null;
    } else {
      const changes = entry.changes ?? [];
      entry.changes = null;
      out += `{"seq":${entry.seq},"changes":[`;
      for (let i = 0; i < changes.length; i++) {
        const text = stringifyChange(changes[i]);
        out += i === 0 ? text : `,${text}`;
        if (out.length >= chunkChars) yield flush();
      }
      out += ']}\n';
    }
    if (out.length >= chunkChars) yield flush();
  }
  if (out.length > 0) yield flush();
}

/** One array element as JSON.stringify writes it inside an array (undefined becomes null). */
function stringifyChange(change: Change | undefined): string {
  return JSON.stringify(change) ?? 'null';
}
