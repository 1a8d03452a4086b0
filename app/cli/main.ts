import { messageOf, UserError } from '../util/errors.js';
import { COMMANDS } from './commands.js';
import { parseCliArgs } from './options.js';

const HELP = `shoebox <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

Options for every command:
  --library DIR   the library (else $SHOEBOX_LIBRARY, else the desktop app's library)
  --model DIR     a model pack folder (else $SHOEBOX_MODEL, else the library's model)
  --provider P    cpu | cuda | dml | coreml (default: the platform's accelerator, falling back to cpu)
  --json          machine-readable output
`;

/** Exit 0 on success (even when some files failed), 1 with one line on stderr for usage or fatal errors. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UserError(`unknown command "${name}" (try --help)`);
    const opts = parseCliArgs(rest);
    if (opts.help) {
      process.stdout.write(`usage: shoebox ${command.usage}\n`);
      return 0;
    }
    await command.run(opts);
    return 0;
  } catch (err) {
    // A UserError is the user's to fix; anything else is ours, but still one line, never a stack trace.
    const prefix = err instanceof UserError ? '' : 'internal error: ';
    process.stderr.write(`shoebox: ${prefix}${messageOf(err).split('\n')[0]}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
