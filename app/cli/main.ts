import { prestartTokenizer } from '../model/tokenize-in-worker.js';
import { messageOf, UserError } from '../util/errors.js';
import { exactArgv } from './exact-argv.js';
import { parseCliArgs } from './options.js';
import { isCommandName, USAGE } from './usage.js';

const HELP = `shoebox <command> [options]

Commands:
${Object.values(USAGE)
  .map((usage) => `  ${usage}`)
  .join('\n')}

Options for every command:
  --library DIR   the library (else $SHOEBOX_LIBRARY, else the desktop app's library)
  --model DIR     a model pack folder (else $SHOEBOX_MODEL, else the library's model)
  --provider P    cpu | cuda | dml | coreml (default: the platform's accelerator, falling back to cpu)
  --json          machine-readable output
`;

/**
 * Commands that embed their texts once and exit. (`embed-text` is not one: it prints the ids from a tokenizer
 * of its own, so a tokenizer built ahead on another thread would be built twice.)
 */
const ONE_TEXT_COMMANDS: ReadonlySet<string> = new Set(['search']);

/**
 * The texts `search` will embed, for its tokenizer thread ([Note: a tokenizer for the texts at hand]): the query
 * is the command's words, as the command joins them. Undefined when the vocabulary cannot be read (the search
 * then says why).
 */
async function expectedTexts(words: string[]): Promise<string[] | undefined> {
  try {
    return (await import('../search/query-texts.js')).queryTexts(words.join(' '))?.texts;
  } catch {
    return undefined;
  }
}

/** Exit 0 on success (even when some files failed), 1 with one line on stderr for usage or fatal errors. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 1;
  }
  try {
    if (!isCommandName(name)) throw new UserError(`unknown command "${name}" (try --help)`);
    const opts = parseCliArgs(rest);
    if (opts.help) {
      process.stdout.write(`usage: shoebox ${USAGE[name]}\n`);
      return 0;
    }
    // A command that embeds one text and exits starts the tokenizer now: see [Note: the tokenizer from the process's start].
    if (ONE_TEXT_COMMANDS.has(name)) await prestartTokenizer(opts.libraryDir, opts.modelDir, await expectedTexts(opts.positionals));
    // Loaded only to run a command: see [Note: usage apart from commands].
    const { COMMANDS } = await import('./commands.js');
    const command = COMMANDS[name];
    if (!command) throw new Error(`command "${name}" has a usage line but no implementation`);
    await command.run(opts);
    return 0;
  } catch (err) {
    // A UserError is the user's to fix; anything else is ours, but still one line, never a stack trace.
    const prefix = err instanceof UserError ? '' : 'internal error: ';
    process.stderr.write(`shoebox: ${prefix}${messageOf(err).split('\n')[0]}\n`);
    return 1;
  }
}

// Exact bytes for arguments Node decoded lossily: see [Note: arguments that are not UTF-8].
process.exitCode = await main(exactArgv(process.argv.slice(2)));
