import type { DuplicateGroup } from '../duplicates/find-duplicates.js';
import type { LibraryService } from '../library/library-service.js';
import type { SearchResult } from '../search/searcher.js';
import type { DuplicateGroupView, Filters, PhotoSummary, Outputs, ParsedInput, ProcedureName, SearchResponse, Settings } from './contract.js';
import { SettingsSchema } from './contract.js';
import { browseFiltersOf } from '../library/filter-scope.js';
import { resolveChosen } from '../duplicates/resolve-chosen.js';
import { trashPhotos } from '../library/trash-photos.js';
import { UserError } from '../util/errors.js';
import { displayName } from '../util/fs-names.js';
import { photoDetail, photoSummary } from './views.js';
import { albumMarkHandlers } from './album-mark-handlers.js';

export type Handlers = { [P in ProcedureName]: (input: ParsedInput<P>) => Promise<Outputs[P]> | Outputs[P] };

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

const SETTINGS_KEY = 'app.settings';
/** Kept here; the tagging layer keeps the sidecar and hidden-group settings it acts on. */
type StoredSettings = Omit<Settings, 'xmpSidecars' | 'hiddenTagGroups'>;
const DEFAULT_SETTINGS: StoredSettings = { theme: 'system', cpuThreads: 0, provider: 'auto' };
/** When nothing clears the relevance cut-off, this many closest photos are offered, marked as weak. */
const WEAK_RESULTS = 12;

/**
 * The contract implemented once, over the library service and its core. Each handler receives input the
 * router has already validated; transports never call these directly.
 */
export function createHandlers(library: LibraryService): Handlers {
  const core = library.core;
  const catalog = core.catalog;

  const photoOrThrow = (id: number) => {
    const photo = catalog.photos.byId(id);
    if (!photo) throw new NotFoundError(`no photo with id ${id}`);
    return photo;
  };
  const summary = (row: Parameters<typeof photoSummary>[0]) => photoSummary(row, core.placeholder(row.id)?.dataUrl ?? null, catalog.marks.of(row.id));
  const toResponse = (results: SearchResult[], weak: boolean): SearchResponse => ({
    results: results.map((r) => summary(photoOrThrow(r.photoId))),
    weak,
  });
  /** The filters as the catalog's browse queries take them (see browseFiltersOf). */
  const browseFilters = (filters: Filters) => browseFiltersOf(filters, core);
  /** Search with the adaptive cut-off; if nothing clears it, the closest few, flagged as weak. */
  const search = async (run: (options: { limit: number; all?: boolean; photoIds?: readonly number[] }) => Promise<SearchResult[]>, filters: Filters, limit: number) => {
    const photoIds = catalog.browse.idsMatching(browseFilters(filters));
    const scope = photoIds ? { photoIds: [...photoIds] } : {};
    const strong = await run({ limit, ...scope });
    if (strong.length > 0) return toResponse(strong, false);
    return toResponse(await run({ limit: WEAK_RESULTS, all: true, ...scope }), true);
  };
  const readSettings = (): StoredSettings => {
    const stored = catalog.settings.get(SETTINGS_KEY);
    const parsed = stored ? SettingsSchema.partial().safeParse(JSON.parse(stored)) : undefined;
    return mergeSettings(DEFAULT_SETTINGS, parsed?.success ? parsed.data : {});
  };

  return {
    status: () => library.status(),
    'folders.add': ({ path }) => library.addFolder(path),
    'folders.remove': ({ folderId }) => library.removeFolder(folderId),
    'folders.failures': ({ folderId, limit }) => library.failures(folderId, limit),
    'indexing.pause': () => library.pause(),
    'indexing.resume': () => library.resume(),
    'photos.page': ({ after, limit, filters }) => {
      const scoped = browseFilters(filters);
      const rows = catalog.browse.page({ after, limit, filters: scoped });
      const last = rows.at(-1);
      return {
        items: rows.map(summary),
        next: rows.length === limit && last ? { key: last.gridKey, id: last.id } : null,
        total: catalog.browse.count(scoped),
      };
    },
    'photos.get': ({ id }) => {
      const photo = photoOrThrow(id);
      const folder = catalog.folders.list().find((f) => f.id === photo.folderId)?.path ?? null;
      const marks = catalog.marks.of(id) ?? { rating: photo.rating, flag: null, label: null };
      return photoDetail(photo, folder, { ...marks, albumIds: catalog.albums.ofPhoto(id) });
    },
    'search.text': ({ query, filters, limit }) => search((o) => core.search(query, o), filters, limit),
    'search.similar': ({ id, ids, text, filters, limit }) => {
      const photos = ids ?? [id!];
      const unknown = photos.filter((p) => !catalog.photos.byId(p));
      if (unknown.length > 0) throw new NotFoundError(`no photo with id ${unknown.join(', ')}`);
      return search((o) => core.likeThese(photos, text, o), filters, limit);
    },
    facets: () => ({
      folders: catalog.folders.list().map((f) => ({ id: f.id, path: f.path })),
      cameras: catalog.browse.cameras(),
      takenRange: catalog.browse.takenRange(),
    }),
    'duplicates.list': async () => (await core.duplicates()).map((g) => groupView(g, summary)),
    'duplicates.resolve': async ({ keepId, trashIds }) => {
      const outcome = await resolveChosen(library, keepId, trashIds);
      library.notifyChanged();
      return outcome;
    },
    'photos.trash': async ({ ids }) => {
      const outcome = await trashPhotos(catalog, ids);
      if (outcome.trashed.length > 0) library.notifyChanged();
      return outcome;
    },
    'duplicates.notDuplicates': ({ a, b }) => {
      photoOrThrow(a);
      photoOrThrow(b);
      if (a === b) throw new UserError('a photo is always a duplicate of itself');
      catalog.notDuplicates.add(a, b);
      return { ok: true as const };
    },
    'tags.counts': () => core.tagCounts().map((c) => ({ path: c.key, name: c.name, photos: c.photos })),
    'tags.ofPhoto': ({ id }) => core.tagsOf(photoOrThrow(id).path),
    'tags.decide': ({ ids, tag, decision }) => {
      const result = core.setTagDecision(ids.map((id) => photoOrThrow(id).path), tag, decision);
      library.notifyChanged();
      return result;
    },
    'tags.autotag': async () => {
      const report = await core.autotag();
      library.notifyChanged();
      return { photos: report.photos, suggestions: report.suggestions };
    },
    'models.list': () =>
      core.listModels().map((m) => ({
        id: m.id,
        title: m.title,
        installed: m.installed,
        active: m.active,
        default: m.default,
        approxBytes: m.approxBytes,
        languages: m.languages,
        imagenetZeroShotTop1: m.imagenetZeroShotTop1,
        licence: m.licence,
      })),
    'models.use': ({ name }) => library.useModel(name),
    'settings.get': () => ({ ...readSettings(), xmpSidecars: core.sidecarsEnabled(), hiddenTagGroups: core.hiddenTagGroups() }),
    'settings.set': (changes) => {
      const { xmpSidecars, hiddenTagGroups, ...rest } = changes;
      if (hiddenTagGroups !== undefined) core.setHiddenTagGroups(hiddenTagGroups);
      const next = mergeSettings(readSettings(), rest);
      catalog.settings.set(SETTINGS_KEY, JSON.stringify(next));
      // Kept by the tagging layer, which writes the sidecars; turning it on writes them for tagged photos.
      if (xmpSidecars !== undefined && xmpSidecars !== core.sidecarsEnabled()) core.setSidecars(xmpSidecars);
      if (hiddenTagGroups !== undefined) library.notifyChanged();
      return { ...next, xmpSidecars: core.sidecarsEnabled(), hiddenTagGroups: core.hiddenTagGroups() };
    },
    ...albumMarkHandlers(core, () => library.notifyChanged()),
  };
}

/** zod's partial() admits explicit undefined; a missing or undefined field keeps the current value. */
function mergeSettings(base: StoredSettings, changes: { [K in keyof StoredSettings]?: StoredSettings[K] | undefined }): StoredSettings {
  const next = { ...base };
  if (changes.theme !== undefined) next.theme = changes.theme;
  if (changes.cpuThreads !== undefined) next.cpuThreads = changes.cpuThreads;
  if (changes.provider !== undefined) next.provider = changes.provider;
  return next;
}

function groupView(group: DuplicateGroup, summary: (p: DuplicateGroup['photos'][number]) => PhotoSummary): DuplicateGroupView {
  return {
    kind: group.kind,
    mirrored: group.mirrored ?? false,
    keepId: group.keep.photo.id,
    keepReason: group.keep.reason,
    photos: group.photos.map((p) => ({ ...summary(p), path: displayName(p.path), size: p.size, format: p.format, sharpness: p.sharpness })),
  };
}

