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
  let kept = '';
  let lines = 0;
  for (const line of (await readRange(journalPath, start, end)).split('\n')) {
    const m = /^\{"seq":(\d+),/.exec(line);
    if (m && Number(m[1]) > afterSeq) {
      kept += `${line}\n`;
      lines++;
    }
  }
  const temp = `${journalPath}.tmp`;
  const fh = await open(temp, 'w');
  try {
    await fh.writeFile(kept, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { temp, bytes: Buffer.byteLength(kept), lines };
}

async function readRange(path: string, start: number, end: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    let off = 0;
    while (off < buf.length) {
      const { bytesRead } = await fh.read(buf, off, buf.length - off, start + off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return buf.toString('utf8', 0, off);
  } finally {
    await fh.close();
  }
}
