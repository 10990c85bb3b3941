// Driver side of test/bench/profile-agent.ts: node args that preload the agent, and one command at a time sent
// through the control file and SIGUSR2, answered through `<control>.done` (bounded wait).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compiledForNode } from './start-echo-bot-process.js';

export interface ProfileControl {
  /** Node args and env for the process to study. */
  nodeArgs: string[];
  env: Record<string, string>;
  /** Sends `cmd` to process `pid` and resolves with the agent's result. */
  send(pid: number, cmd: { op: string; out?: string }, timeoutMs?: number): Promise<unknown>;
}

export function profileControl(dir: string): ProfileControl {
  const file = join(dir, 'profile-control.json');
  return {
    nodeArgs: ['--import', compiledForNode('test/bench/profile-agent.ts')],
    env: { BENCH_PROFILE_CONTROL: file },
    async send(pid, cmd, timeoutMs = 120_000) {
      rmSync(`${file}.done`, { force: true });
      writeFileSync(file, JSON.stringify(cmd));
      process.kill(pid, 'SIGUSR2');
      const deadline = performance.now() + timeoutMs;
      while (!existsSync(`${file}.done`)) {
        if (performance.now() > deadline) throw new Error(`profile command ${cmd.op}: no answer within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const answer = JSON.parse(readFileSync(`${file}.done`, 'utf8')) as { result?: unknown; error?: string };
      if (answer.error !== undefined) throw new Error(`profile command ${cmd.op} failed: ${answer.error}`);
      return answer.result;
    },
  };
}
