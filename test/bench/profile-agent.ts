// Preloaded into a process under study (`node --import <compiled profile-agent.mjs> dist/main.js`; compiled by
// compiledForNode, so no TypeScript loader is added). With BENCH_PROFILE_CONTROL=<file> set, each SIGUSR2 makes it
// read one JSON command from that file, run it over the in-process inspector and write {op, result} to
// `<file>.done`. Commands: cpu-start / cpu-stop {out} (CPU profile, 100 µs sampling), heap-start / heap-stop {out}
// (sampling heap profile of live objects; alloc-start instead samples every allocation, garbage included), gc,
// memory (process.memoryUsage and V8 heap spaces), elu (event-loop utilisation so far), snapshot {out}.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, getHeapStatistics, writeHeapSnapshot } from 'node:v8';

const control = process.env['BENCH_PROFILE_CONTROL'];

if (control !== undefined && control !== '') {
  const session = new Session();
  session.connect();
  const post = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      session.post(method, params, (err, result) => (err ? reject(err) : resolve((result ?? {}) as Record<string, unknown>)));
    });

  const run = async (cmd: { op: string; out?: string }): Promise<unknown> => {
    switch (cmd.op) {
      case 'cpu-start':
        await post('Profiler.enable');
        await post('Profiler.setSamplingInterval', { interval: 100 });
        await post('Profiler.start');
        return null;
      case 'cpu-stop': {
        const { profile } = await post('Profiler.stop');
        writeFileSync(cmd.out ?? 'cpu.cpuprofile', JSON.stringify(profile));
        return null;
      }
      case 'heap-start':
        await post('HeapProfiler.enable');
        await post('HeapProfiler.startSampling', { samplingInterval: 8192 });
        return null;
      case 'alloc-start':
        // Every allocation, garbage included: where the allocation volume (and so the GC work) comes from.
        await post('HeapProfiler.enable');
        await post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        return null;
      case 'heap-stop': {
        const { profile } = await post('HeapProfiler.stopSampling');
        writeFileSync(cmd.out ?? 'heap.heapprofile', JSON.stringify(profile));
        return null;
      }
      case 'gc':
        await post('HeapProfiler.enable');
        await post('HeapProfiler.collectGarbage');
        return null;
      case 'snapshot':
        return writeHeapSnapshot(cmd.out);
      case 'elu':
        // Cumulative event-loop utilisation of the main thread: diff two readings for a phase.
        return performance.eventLoopUtilization();
      case 'memory':
        return {
          memoryUsage: process.memoryUsage(),
          heap: getHeapStatistics(),
          spaces: getHeapSpaceStatistics().map((s) => ({ name: s.space_name, usedBytes: s.space_used_size, sizeBytes: s.space_size })),
        };
      default:
        throw new Error(`unknown profile command ${cmd.op}`);
    }
  };

  /** Written whole, then renamed: the driver never reads half an answer. */
  const answer = (body: Record<string, unknown>): void => {
    writeFileSync(`${control}.tmp`, JSON.stringify(body));
    renameSync(`${control}.tmp`, `${control}.done`);
  };
  process.on('SIGUSR2', () => {
    const cmd = JSON.parse(readFileSync(control, 'utf8')) as { op: string; out?: string };
    run(cmd).then(
      (result) => answer({ op: cmd.op, result }),
      (err: unknown) => answer({ op: cmd.op, error: String(err) }),
    );
  });
}
