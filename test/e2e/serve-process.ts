import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI_COMMAND, ROOT_DIR } from '../helpers/cli.js';

export interface ServeProcess {
  /** The address `serve` printed, with its token. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  token: string;
  stderr(): string;
  stop(): Promise<void>;
}

/** Builds the renderer into its own folder (not the shared out/), so a test run never clobbers a developer's build. */
export function buildRenderer(outDir: string): string {
  const bin = path.join(ROOT_DIR, 'node_modules', '.bin', 'electron-vite');
  const run = spawnSync(bin, ['build', '--outDir', outDir, '--logLevel', 'warn'], { cwd: ROOT_DIR, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`electron-vite build failed (${run.status}): ${run.stderr}${run.stdout}`);
  const renderer = path.join(outDir, 'renderer');
  if (!fs.existsSync(path.join(renderer, 'index.html'))) throw new Error(`no index.html in ${renderer}`);
  return renderer;
}

/** Starts the real `shoebox serve` CLI and waits for the URL on the first line of its stdout. */
export function startServe(args: { library: string; model?: string; renderer: string; env?: Record<string, string> }): Promise<ServeProcess> {
  const [node, ...prefix] = CLI_COMMAND;
  const cliArgs = ['serve', '--library', args.library, '--port', '0', '--renderer', args.renderer, ...(args.model ? ['--model', args.model] : [])];
  const child = spawn(node, [...prefix, ...cliArgs], {
    cwd: ROOT_DIR,
    env: { ...process.env, SHOEBOX_LIBRARY: '', SHOEBOX_MODEL: '', ...args.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolve, reject) => {
    let stdout = '';
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start: ${why}\n${stderr}`));
    };
    const timer = setTimeout(() => fail('no URL within 60 s'), 60_000);
    child.once('exit', (code) => fail(`exited with ${code}`));
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const url = new URL(stdout.slice(0, newline).trim());
      resolve({
        url: url.href,
        origin: url.origin,
        token: url.searchParams.get('token') ?? '',
        stderr: () => stderr,
        stop: () => stop(child),
      });
    });
  });
}

/** SIGTERM lets serve close the library cleanly; SIGKILL if it does not within a few seconds. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
