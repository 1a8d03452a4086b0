/**
 * [Note: usage apart from commands] Every command's usage line, in the order `--help` lists them. They live
 * apart from the commands themselves so that `shoebox --help` (and `shoebox <command> --help`) print without
 * loading the core: the commands pull in SQLite, ONNX Runtime, sharp and exiftool, which cost more start-up
 * time than the help takes to print. Each command takes its `usage` from here; a test checks both lists agree.
 */
export const USAGE = {
  serve: 'serve [--port n] [--renderer DIR]   (browser mode on 127.0.0.1 until Ctrl-C; prints the URL with its token first)',
  autotag: 'autotag [<photo or folder>...] [--vocabulary FILE] [--json]   (tags the library, or only those photos)',
  tags: "tags [<photo path>] [--json]   (a photo's tags with confidence; without a path, tag counts)",
  tag: 'tag <photo or folder>... (--add NAME | --accept NAME | --reject NAME | --pin NAME | --remove NAME) [--json]\n       tag --add NAME --prompt "a photo of …" [--prompt …]   (a tag of your own that auto-tagging scores)',
  sidecars: 'sidecars on|off [--json]   (write tags to .xmp sidecars next to the photos; originals are never changed)',
  index: 'index <folder>... [--json]',
  watch: 'watch <folder>... [--json]   (keeps the folders indexed until Ctrl-C)',
  search: 'search "<text>" [--tag NAME] [--limit n] [--all] [--json]',
  similar: 'similar <photo path>... [--text "at night" | "without people"] [--limit n] [--all] [--json]   (like all of these photos at once)',
  dupes: 'dupes [--threshold cosine] [--resolve [--yes]] [--json]',
  'not-dupes': 'not-dupes <photo> <photo>   (remember that two photos are not duplicates)',
  'embed-image': 'embed-image <file> --json',
  'embed-text': 'embed-text "<text>" --json',
  model: 'model list | model install <name|folder|zip> | model use <name>  [--json]',
  album:
    'album list | album create|show|delete NAME | album add|remove NAME <photo or folder>... | album rename NAME NEW  [--json]\n' +
    '       album smart [NAME] "<query>" [--tag NAME] [--folder DIR]... [--from DATE] [--to DATE] [--camera NAME]... [--min-rating n]   (an album of what the search finds; add pins a photo in, remove keeps it out)',
  rate: 'rate <photo or folder>... 0-5 [--json]   (stars; written to .xmp sidecars when those are on)',
  flag: 'flag <photo or folder>... pick|reject|none [--json]',
  label: 'label <photo or folder>... red|yellow|green|blue|purple|none [--json]',
} as const;

export type CommandName = keyof typeof USAGE;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(USAGE, name);
}
