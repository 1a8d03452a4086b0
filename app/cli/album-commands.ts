import { smartDefinitionOf, type AlbumWhy, type SmartDefinition } from '../albums/smart-albums.js';
import type { AlbumRecord } from '../catalog/albums.js';
import type { Core } from '../core.js';
import type { TargetFailure } from '../library/photo-targets.js';
import { UserError } from '../util/errors.js';
import { filtersOf } from './filter-options.js';
import { updateSmartAlbums, withCore, type Command } from './open-core.js';
import type { CliOptions } from './options.js';
import { shownPath, writeJson } from './output.js';
import { USAGE } from './usage.js';

/** `album create|smart|add|remove|list|show|rename|delete` (see app/albums/); spread into COMMANDS. */
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

type Subcommand = (core: Core, name: string, rest: string[], opts: CliOptions) => void | Promise<void>;

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
  async add(core, name, rest, opts) {
    if (rest.length === 0) throw new UserError(`usage: ${USAGE.album}`);
    const change = core.albums.add(name, rest);
    report(opts, { album: albumJson(change.album), added: change.changed, failed: failedPaths(change.failed) }, `${change.changed} photo(s) added to "${change.album.name}"`);
    await updateSmartAlbums(core); // a smart album may be filtered by this one
  },
  async remove(core, name, rest, opts) {
    if (rest.length === 0) throw new UserError(`usage: ${USAGE.album}`);
    const change = core.albums.remove(name, rest);
    report(opts, { album: albumJson(change.album), removed: change.changed, failed: failedPaths(change.failed) }, `${change.changed} photo(s) removed from "${change.album.name}"`);
    await updateSmartAlbums(core);
  },
  /** `album smart NAME "<query>" [filters]`, or `album smart "<query>"` named after its query. */
  async smart(core, name, rest, opts) {
    if (rest.length > 1) throw new UserError(`the query is one argument: quote it ("${rest.join(' ')}")`);
    const query = rest[0] ?? name;
    const album = await core.smartAlbums.create(name, query, filtersOf(opts, core));
    if (opts.json) writeJson({ album: albumJson(album) });
    else process.stdout.write(`smart album "${album.name}" created: ${album.photos} photo(s) match "${query}"\n`);
  },
  /** Each photo with why it is in the album; for a smart album, the photos kept out too. */
  show(core, name, _rest, opts) {
    const { album, photoIds } = core.albums.show(name);
    const pathOf = (id: number) => core.catalog.photos.byId(id)?.path;
    const members = photoIds.flatMap((id) => {
      const p = pathOf(id);
      return p === undefined ? [] : [{ path: p, ...whyJson(core.smartAlbums.why(album.id, id)) }];
    });
    const keptOut = album.smartQuery === null ? undefined : core.catalog.smartAlbums.keptOut(album.id).flatMap((id) => pathOf(id) ?? []);
    if (opts.json) return writeJson({ album: albumJson(album), photos: members.map((m) => m.path), members, ...(keptOut ? { keptOut } : {}) });
    process.stdout.write(`${album.name}: ${album.photos} photo(s)${album.smartQuery !== null ? ` (smart: "${album.smartQuery}")` : ''}\n`);
    for (const m of members) process.stdout.write(`  ${shownPath(m.path)}${album.smartQuery === null ? '' : `  (${m.reason === 'pinned' ? 'pinned by you' : `relevance ${m.relevance?.toFixed(2) ?? '?'}`})`}\n`);
    for (const p of keptOut ?? []) process.stdout.write(`  kept out: ${shownPath(p)}\n`);
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

function albumJson(album: AlbumRecord): { id: number; name: string; photos: number; smart?: SmartDefinition } {
  const smart = smartDefinitionOf(album);
  return { id: album.id, name: album.name, photos: album.photos, ...(smart ? { smart } : {}) };
}

/** Why a member is in: the search's match with its relevance, or the user's pin. */
function whyJson(why: AlbumWhy): { reason: AlbumWhy['reason']; relevance?: number } {
  return { reason: why.reason, ...(why.relevance !== undefined ? { relevance: Math.round(why.relevance * 1000) / 1000 } : {}) };
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
