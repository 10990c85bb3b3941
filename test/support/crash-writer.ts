// Child process for the crash test: streams acknowledged seat requests into a lowdb store until killed.
// argv: <dir> <mode: plain|compact>. Prints `ack <n>` after update n resolved (it is durable by contract)
// and `compacted` after each finished compaction. Never exits by itself; the test SIGKILLs it.
import { openLowdbSeatStore } from '../../src/store/lowdb/lowdb-seat-store.js';
import { seatRequestChanges } from '../store/ledger-fixtures.js';

const [dir, mode] = process.argv.slice(2);
if (!dir || (mode !== 'plain' && mode !== 'compact')) throw new Error('usage: crash-writer <dir> <plain|compact>');

const store = await openLowdbSeatStore({
  dir,
  ...(mode === 'compact' ? { compactAfterLines: 40, chunks: { recordsPerSlice: 200 } } : {}),
});
let next = 0;
const worker = async (): Promise<void> => {
  for (;;) {
    const n = next++;
    await store.update(() => ({ changes: seatRequestChanges(n), result: null }));
    process.stdout.write(`ack ${n}\n`);
  }
};
const compactor = async (): Promise<void> => {
  for (;;) {
    await store.compact();
    process.stdout.write('compacted\n');
  }
};
await Promise.all([...Array.from({ length: 16 }, worker), ...(mode === 'compact' ? [compactor()] : [])]);
