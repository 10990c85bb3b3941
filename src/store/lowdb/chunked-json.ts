import type { LedgerCapture } from './ledger-capture.js';

export interface ChunkOptions {
  /** Records stringified per slice before yielding to the event loop. */
  recordsPerSlice?: number;
  /** Called between slices; defaults to a setImmediate turn so I/O and timers run. */
  yieldToLoop?: () => Promise<void>;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Text handed out before it grows past this many characters, even mid-slice: big strings (and their
 * Buffers) land in V8's large-object space and stay there until a full GC, which after a vendor sync meant
 * tens of MB of dead slices on top of the sync's own peak. Smaller pieces die young.
 */
const MAX_PIECE_CHARS = 1 << 16;

/**
 * Serialises a captured ledger as JSON (one record per line) in slices, yielding the text in pieces of at
 * most about MAX_PIECE_CHARS. Never blocks the event loop for more than one slice of `recordsPerSlice`
 * records, unlike JSON.stringify over the whole ledger.
 */
export async function* chunkedJson(capture: LedgerCapture, options: ChunkOptions = {}): AsyncGenerator<string> {
  const per = options.recordsPerSlice ?? 2000;
  const pause = options.yieldToLoop ?? nextTurn;
  let out = `{"schemaVersion":${capture.schemaVersion},"journalSeq":${capture.journalSeq}`;
  let n = 0;
  const order = ['pools', 'assignments', 'audit', 'idempotency', 'syncRuns', 'drift', 'spaces', 'notices', 'waitlist', 'provisions', 'provisionHolds'];
  for (const name of order) {
    if (name === 'audit') {
      out += ',\n"audit":[';
      const { source, length } = capture.audit;
      for (let i = 0; i < length; i++) {
        out += `${i === 0 ? '\n' : ',\n'}${JSON.stringify(source[i])}`;
        if (++n % per === 0) {
          yield out;
          out = '';
          await pause();
        } else if (out.length >= MAX_PIECE_CHARS) {
          yield out;
          out = '';
        }
      }
      out += '\n]';
      continue;
    }
    const dict = capture.dicts.find((d) => d.name === name);
    out += `,\n${JSON.stringify(name)}:{`;
    let first = true;
    // Keys are listed when this collection's turn comes (see LedgerCapture for why that is safe).
    const source = dict?.source ?? {};
    for (const key of Object.keys(source)) {
      const value = source[key];
      // Deleted since the listing (idempotency.delete, syncRun.delete): the journal replays that delete anyway.
      if (value === undefined) continue;
      out += `${first ? '\n' : ',\n'}${JSON.stringify(key)}:${JSON.stringify(value)}`;
      first = false;
      if (++n % per === 0) {
        yield out;
        out = '';
        await pause();
      } else if (out.length >= MAX_PIECE_CHARS) {
        yield out;
        out = '';
      }
    }
    out += '\n}';
  }
  out += '\n}\n';
  yield out;
}
