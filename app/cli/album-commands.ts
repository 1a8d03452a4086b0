import type { AlbumRecord } from '../catalog/albums.js';
import type { Core } from '../core.js';
import type { TargetFailure } from '../library/photo-targets.js';
import { UserError } from '../util/errors.js';
import { withCore, type Command } from './open-core.js';
import type { CliOptions } from './options.js';
import { shownPath, writeJson } from './output.js';
import { USAGE } from './usage.js';

/** `album create|add|remove|list|show|rename|delete` (see app/albums/); spread into COMMANDS. */
export const ALBUM_COMMANDS: Record<string, Command> = {
  album: {
    usage: USAGE.album,
    async run(opts) {
      const [sub, name, ...rest] = opts.positionals;
      const run = sub ? SUBCOMMANDS[sub] : undefined;
      if (!run || (sub !== 'list' && !name)) throw new UserError(`usage: ${USAGE.album}`);
      await withCore(opts, async (core) => run(core, name ?? '', rest, opts));
    },
  },
};

type Subcommand = (core: Core, name: string, rest: string[], opts: CliOptions) => void;

const SUBCOMMANDS: Record<string, Subcommand> = {
  list(core, _name, _rest, opts) {
    const albums = core.albums.list();
    if (opts.json) return writeJson({ albums: albums.map(albumJson) });
    if (albums.length === 0) process.stdout.write('no albums\n');
    for (const a of albums) process.stdout.write(`${String(a.photos).padStart(6)}  ${a.name}\n`);
  },
  create(core, name, rest, opts) {
    if (rest.length > 0) throw new UserError(`an album name is one argument: quote it ("${[name, ...rest].join(' ')}")`);
    const album = core.albums.create(name);
    if (opts.json) writeJson({ album: albumJson(album) });
    else process.stdout.write(`album "${album.name}" created\n`);
  },
  add(core, name, rest, opts) {
    if (rest.length === 0) throw new UserError(`usage: ${USAGE.album}`);
    const change = core.albums.add(name, rest);
    report(opts, { album: albumJson(change.album), added: change.changed, failed: failedPaths(change.failed) }, `${change.changed} photo(s) added to "${change.album.name}"`);
  },
  remove(core, name, rest, opts) {
    if (rest.length === 0) throw new UserError(`usage: ${USAGE.album}`);
    const change = core.albums.remove(name, rest);
    report(opts, { album: albumJson(change.album), removed: change.changed, failed: failedPaths(change.failed) }, `${change.changed} photo(s) removed from "${change.album.name}"`);
  },
  show(core, name, _rest, opts) {
    const { album, photoIds } = core.albums.show(name);
    const paths = photoIds.map((id) => core.catalog.photos.byId(id)?.path).filter((p) => p !== undefined);
    if (opts.json) return writeJson({ album: albumJson(album), photos: paths });
    process.stdout.write(`${album.name}: ${album.photos} photo(s)\n`);
    for (const p of paths) process.stdout.write(`  ${shownPath(p)}\n`);
  },
  rename(core, name, rest, opts) {
    const [newName, ...extra] = rest;
    if (!newName || extra.length > 0) throw new UserError(`usage: ${USAGE.album}`);
    const album = core.albums.rename(name, newName);
    if (opts.json) writeJson({ album: albumJson(album) });
    else process.stdout.write(`album renamed to "${album.name}"\n`);
  },
  delete(core, name, _rest, opts) {
    const album = core.albums.delete(name);
    if (opts.json) writeJson({ deleted: albumJson(album) });
    else process.stdout.write(`album "${album.name}" deleted (its ${album.photos} photo(s) stay in the library)\n`);
  },
};

function albumJson(album: AlbumRecord): { id: number; name: string; photos: number } {
  return { id: album.id, name: album.name, photos: album.photos };
}

/** The CLI names photos by path, so every failed target is a path. */
export function failedPaths(failed: readonly TargetFailure[]): { path: string; error: string }[] {
  return failed.map((f) => ({ path: String(f.target), error: f.error }));
}

/** `--json` prints the result; otherwise a summary line and one line per input that named no photo. */
export function report(opts: CliOptions, json: { failed: { path: string; error: string }[] } & Record<string, unknown>, summary: string): void {
  if (opts.json) return writeJson(json);
  process.stdout.write(`${summary}\n`);
  for (const f of json.failed) process.stdout.write(`  skipped: ${shownPath(f.path)}: ${f.error}\n`);
}
