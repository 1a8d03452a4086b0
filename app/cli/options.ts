import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultLibraryDir } from '../library-paths.js';
import { UserError } from '../util/errors.js';

/** Options every command accepts, plus each command's own. */
export const COMMON_OPTIONS = {
  library: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean', default: false },
  limit: { type: 'string' },
  all: { type: 'boolean', default: false },
  provider: { type: 'string' },
  threshold: { type: 'string' },
  resolve: { type: 'boolean', default: false },
  yes: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  port: { type: 'string' },
  renderer: { type: 'string' },
  // tagging (app/cli/tag-commands.ts); --tag also filters search
  vocabulary: { type: 'string' },
  tag: { type: 'string' },
  add: { type: 'string' },
  accept: { type: 'string' },
  reject: { type: 'string' },
  pin: { type: 'string' },
  remove: { type: 'string' },
  prompt: { type: 'string', multiple: true },
  // `similar --text`, and the filters of `album smart` (app/cli/filter-options.ts)
  text: { type: 'string' },
  folder: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  camera: { type: 'string', multiple: true },
  'min-rating': { type: 'string' },
} as const;

export interface CliOptions {
  libraryDir: string;
  modelDir: string | undefined;
  json: boolean;
  limit: number | undefined;
  all: boolean;
  provider: string | undefined;
  threshold: number | undefined;
  resolve: boolean;
  yes: boolean;
  help: boolean;
  port: number | undefined;
  renderer: string | undefined;
  vocabulary: string | undefined;
  tag: string | undefined;
  /** Tag decisions given with --add/--accept/--reject/--pin/--remove NAME. */
  tagDecisions: { decision: 'add' | 'accept' | 'reject' | 'pin' | 'remove'; tag: string }[];
  prompts: string[];
  /** Words that steer `similar` ("at night", "without people"). */
  text: string | undefined;
  /** Filters as given, checked against the library by filter-options.ts. */
  filterArgs: { folders: string[]; from: string | undefined; to: string | undefined; cameras: string[]; minRating: string | undefined };
  positionals: string[];
}

export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: COMMON_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  let limit: number | undefined;
  if (values.limit !== undefined) {
    limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit takes a whole number ≥ 1, not "${values.limit}"`);
  }
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (!(threshold > 0 && threshold <= 1)) throw new UserError(`--threshold takes a cosine similarity in (0, 1], not "${values.threshold}"`);
  }
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port takes a port number (0 picks a free one), not "${values.port}"`);
  }
  const model = values.model ?? env['SHOEBOX_MODEL'];
  return {
    libraryDir: path.resolve(values.library ?? env['SHOEBOX_LIBRARY'] ?? defaultLibraryDir()),
    modelDir: model ? path.resolve(model) : undefined,
    json: values.json,
    limit,
    all: values.all,
    provider: values.provider,
    threshold,
    resolve: values.resolve,
    yes: values.yes,
    help: values.help,
    port,
    renderer: values.renderer ? path.resolve(values.renderer) : undefined,
    vocabulary: values.vocabulary ? path.resolve(values.vocabulary) : undefined,
    tag: values.tag,
    tagDecisions: (['add', 'accept', 'reject', 'pin', 'remove'] as const).flatMap((decision) => (values[decision] !== undefined ? [{ decision, tag: values[decision] }] : [])),
    prompts: values.prompt ?? [],
    text: values.text,
    filterArgs: { folders: values.folder ?? [], from: values.from, to: values.to, cameras: values.camera ?? [], minRating: values['min-rating'] },
    positionals,
  };
}
