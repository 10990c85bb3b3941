/** Run ids the runner writes: `sync:<start sequence>:<vendor>:<connection>:<startedAt>:<random>`. */
const SEQUENCED = /^sync:(\d{1,15}):/;

/** The start sequence in a run id, or null for ids without one (recorded before sequences, or by hand). */
export function runSequenceOf(id: string): number | null {
  const m = SEQUENCED.exec(id);
  return m === null ? null : Number(m[1]);
}
