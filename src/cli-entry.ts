/**
 * What the command-line entry points beside main.ts (sync-cli.ts, store-cli.ts) share: their output
 * streams as a seam for tests, and running the CLI only when the file is the script node was started with.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from './config.js';
import { ConfigError, errorMessage } from './errors.js';

/** Where a CLI writes (process.stdout/stderr when run; buffers in tests). */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** The CLI's own function: argv and env in, exit code out. */
export type CliMain = (argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo) => Promise<number>;

/**
 * The start every CLI shares: parse argv (a throw is a usage error: message + usage, exit 2), `--help`
 * (usage, exit 0), then the settings (a ConfigError names every bad key, exit 2). Returns the parsed
 * arguments and config, or the exit code to return.
 */
export function startCli<A extends { help: boolean }>(
  name: string,
  usage: string,
  parse: (argv: readonly string[]) => A,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): { args: A; config: Config } | { exit: number } {
  let args: A;
  try {
    args = parse(argv);
  } catch (err) {
    io.err(`${name}: ${errorMessage(err)}\n${usage}\n`);
    return { exit: 2 };
  }
  if (args.help) {
    io.out(`${usage}\n`);
    return { exit: 0 };
  }
  try {
    return { args, config: loadConfig(env) };
  } catch (err) {
    io.err(`${name}: ${err instanceof ConfigError ? err.message : errorMessage(err)}\n`);
    return { exit: 2 };
  }
}

/**
 * Runs `main` with the process's arguments when `moduleUrl` (the CLI's import.meta.url) is the script node
 * was started with, then exits once stdout is flushed (a pipe may still hold a large report; keep-alive
 * sockets must not hold the process). A throw is reported as `<name>: failed: …` with exit code 2.
 */
export function runIfEntry(moduleUrl: string, name: string, main: CliMain): void {
  if (!isEntry(moduleUrl)) return;
  const exit = (code: number): void => {
    process.stdout.write('', () => process.exit(code));
  };
  main(process.argv.slice(2), process.env, {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
  }).then(exit, (err: unknown) => {
    process.stderr.write(`${name}: failed: ${errorMessage(err)}\n`);
    exit(2);
  });
}

function isEntry(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
