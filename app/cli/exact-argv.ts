import fs from 'node:fs';
import { fromFsBytes } from '../util/fs-names.js';

/**
 * [Note: arguments that are not UTF-8]
 * A photo whose name is not UTF-8 (see [Note: file names that are not UTF-8]) reaches the CLI as those very
 * bytes when a shell's tab completion or `find -exec` passes it, but Node decodes argv lossily: `caf\xE9.jpg`
 * arrives as `caf\uFFFD.jpg`, a name no file has, and `shoebox similar`, `rate` or `index` would say it is not
 * in the library. On Linux, the only platform where names can be such bytes (macOS stores UTF-8, Windows
 * UTF-16), the kernel keeps the exact bytes in /proc/self/cmdline; an argument that holds U+FFFD is replaced
 * by the exact string form of its bytes there. Its bytes are found from the end of the command line (Node's
 * own options come before the script), and used only when they decode to exactly the argument Node gave,
 * so nothing but a lossily decoded argument ever changes.
 */
export function exactArgv(args: readonly string[], cmdline: Buffer | undefined = readCmdline()): string[] {
  if (!cmdline || !args.some((a) => a.includes('\uFFFD'))) return [...args];
  const raw = splitNul(cmdline).slice(-args.length);
  if (raw.length !== args.length) return [...args];
  return args.map((arg, i) => (arg.includes('\uFFFD') && raw[i]!.toString('utf8') === arg ? fromFsBytes(raw[i]!) : arg));
}

function readCmdline(): Buffer | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return fs.readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
}

/** The NUL-terminated entries of a command line, as bytes. */
function splitNul(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0) {
      out.push(buf.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < buf.length) out.push(buf.subarray(start));
  return out;
}
