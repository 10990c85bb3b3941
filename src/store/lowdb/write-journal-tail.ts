import { open } from 'node:fs/promises';

/**
 * Compaction's second half: writes `<journal>.tmp` holding the journal lines in bytes [start, end) whose
 * seq is above `afterSeq`, fsynced. Lines before `start` are known to be <= afterSeq. The caller renames
 * the temp file over the journal.
 */
export async function writeJournalTail(
  journalPath: string,
  start: number,
  end: number,
  afterSeq: number,
): Promise<{ temp: string; bytes: number; lines: number }> {
  // Bytes, not text: the range may hold a vendor sync's line of tens of MB; kept lines are written as views.
  const range = await readRange(journalPath, start, end);
  const kept: Buffer[] = [];
  let bytes = 0;
  for (let from = 0; from < range.length; ) {
    const nl = range.indexOf(NEWLINE, from);
    const to = nl === -1 ? range.length : nl + 1;
    const m = /^\{"seq":(\d+),/.exec(range.toString('latin1', from, Math.min(to, from + 40)));
    if (m && Number(m[1]) > afterSeq && nl !== -1) {
      kept.push(range.subarray(from, to));
      bytes += to - from;
    }
    from = to;
  }
  const temp = `${journalPath}.tmp`;
  const fh = await open(temp, 'w');
  try {
    for (const line of kept) {
      let off = 0;
      while (off < line.length) off += (await fh.write(line, off, line.length - off)).bytesWritten;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { temp, bytes, lines: kept.length };
}

const NEWLINE = 0x0a;

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.subarray(0, off);
  } finally {
    await fh.close();
  }
}
