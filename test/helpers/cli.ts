import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** How package.json's `cli` script and the `shoebox` bin start it: the compiled bundle under plain Node, one process (signals reach it). */
export const CLI_COMMAND = [process.execPath, path.join(ROOT, 'out', 'main', 'shoebox.js')] as const;
export const ROOT_DIR = ROOT;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as `npm run -s cli -- …` does. */
export function runCli(args: string[], env: Record<string, string> = {}): CliRun {
  const [node, ...prefix] = CLI_COMMAND;
  const result = spawnSync(node, [...prefix, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SHOEBOX_LIBRARY: '', SHOEBOX_MODEL: '', ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function runCliJson<T>(args: string[], env: Record<string, string> = {}): T {
  const run = runCli([...args, '--json'], env);
  if (run.status !== 0) throw new Error(`cli ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `shoebox-${prefix}-`));
}
