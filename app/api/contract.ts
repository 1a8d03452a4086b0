/**
 * [Note: API contract] The one contract between the renderer and the core. Every procedure is a zod input
 * schema (validated on the core side, whatever transport the call came through) and an output type; events are
 * named payload types. The renderer imports this file for its types and schemas only: it must stay free of
 * Node imports, because the same file is bundled into the browser.
 */
import { z } from 'zod';

const photoId = z.number().int().positive();
const text = (max: number) => z.string().trim().max(max);

/** Filters that combine with a text query, a similar-photo query or the library grid. */
export const FiltersSchema = z
  .object({
    folderIds: z.array(z.number().int().positive()).max(1000).optional(),
    /** Capture time bounds, ms since the epoch, inclusive. */
    takenFrom: z.number().int().optional(),
    takenTo: z.number().int().optional(),
    cameras: z.array(text(200)).max(100).optional(),
    /** Photos showing every one of these tags (a group such as "Nature" stands for the tags below it). */
    tags: z.array(text(200).min(1)).max(20).optional(),
    /** Culling: at least this many stars; this flag or colour label ('none': photos without one). */
    minRating: z.number().int().min(0).max(5).optional(),
    flag: z.enum(['pick', 'reject', 'none']).optional(),
    label: z.enum(['red', 'yellow', 'green', 'blue', 'purple', 'none']).optional(),
    /** Only the photos of this album. */
    albumId: z.number().int().positive().optional(),
  })
  .strict();
export type Filters = z.infer<typeof FiltersSchema>;

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const SettingsSchema = z
  .object({
    theme: z.enum(THEMES),
    /** ONNX Runtime intra-op threads; 0 lets the runtime choose. */
    cpuThreads: z.number().int().min(0).max(256),
    provider: z.enum(['auto', 'cpu', 'cuda', 'dml', 'coreml']),
    /** Write accepted tags to `.xmp` sidecars next to the photos (never into the photos themselves). */
    xmpSidecars: z.boolean(),
    /** Tag groups whose photos the grid and search leave out ("Not a photo", "Sensitive"). */
    hiddenTagGroups: z.array(text(200).min(1)).max(50),
  })
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const procedures = {
  /** Library overview: counts, model, folders and the indexing state. */
  status: z.object({}).strict(),
  'folders.add': z.object({ path: text(4096).min(1) }).strict(),
  /** Stops watching a folder and forgets its photos (the files themselves are never touched). */
  'folders.remove': z.object({ folderId: photoId }).strict(),
  'folders.failures': z.object({ folderId: photoId.optional(), limit: z.number().int().min(1).max(5000).default(500) }).strict(),
  'indexing.pause': z.object({}).strict(),
  'indexing.resume': z.object({}).strict(),
  /** The library grid, newest first, keyset-paginated by (takenAt, id). */
  'photos.page': z
    .object({
      after: z.object({ key: text(40), id: photoId }).strict().optional(),
      limit: z.number().int().min(1).max(1000).default(200),
      filters: FiltersSchema.default({}),
    })
    .strict(),
  'photos.get': z.object({ id: photoId }).strict(),
  'search.text': z.object({ query: text(500).min(1), filters: FiltersSchema.default({}), limit: z.number().int().min(1).max(500).default(100) }).strict(),
  /**
   * "More like these": photos like one photo (`id`) or several at once (`ids`, 1–20), optionally steered by
   * words (`text`: "at night"; negatives as in search, "without people" / "-people", steer away).
   */
  'search.similar': z
    .object({
      id: photoId.optional(),
      ids: z.array(photoId).min(1).max(20).optional(),
      text: text(500).optional(),
      filters: FiltersSchema.default({}),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict()
    .refine((v) => (v.id === undefined) !== (v.ids === undefined), { message: 'give the photo as id, or 1–20 photos as ids (not both)' }),
  /** Values the filter controls offer: folders, cameras, capture date range. */
  facets: z.object({}).strict(),
  'duplicates.list': z.object({}).strict(),
  /**
   * Moves the chosen photos of one duplicate group to the OS trash, keeping `keepId`. The renderer asks the
   * user first and says so with `confirmed: true`; the group is re-checked against the library before anything moves.
   */
  'duplicates.resolve': z.object({ keepId: photoId, trashIds: z.array(photoId).min(1).max(1000), confirmed: z.literal(true) }).strict(),
  /** Moves the chosen photos to the OS trash (never a permanent delete). The renderer asks the user first and says so with `confirmed: true`. */
  'photos.trash': z.object({ ids: z.array(photoId).min(1).max(10_000), confirmed: z.literal(true) }).strict(),
  /** Remembers that two photos are different pictures: they are never grouped again. */
  'duplicates.notDuplicates': z.object({ a: photoId, b: photoId }).strict(),
  /** Tags with their photo counts, for the side panel and the tag filter. */
  'tags.counts': z.object({}).strict(),
  /** A photo's tags with confidence and whether they are the user's or suggested. */
  'tags.ofPhoto': z.object({ id: photoId }).strict(),
  /** The user's decision on a tag for some photos: add it, accept or pin a suggestion, reject it, or remove it. */
  'tags.decide': z.object({ ids: z.array(photoId).min(1).max(100_000), tag: text(200).min(1), decision: z.enum(['add', 'accept', 'reject', 'pin', 'remove']) }).strict(),
  /** Runs auto-tagging over the whole library now (it also runs by itself after indexing). */
  'tags.autotag': z.object({}).strict(),
  /** Model packs: installed ones and those the registry offers for download. */
  'models.list': z.object({}).strict(),
  /**
   * Installs (if needed) and switches to a model pack in the background: search keeps using the current model
   * until the new one has embedded every photo. Progress arrives as `models.progress` events.
   */
  'models.use': z.object({ name: text(200).min(1) }).strict(),
  'settings.get': z.object({}).strict(),
  'settings.set': SettingsSchema.partial().strict(),
  /**
   * Albums, made by hand or smart; membership follows a photo through moves, renames and duplicate resolution.
   * A smart album's members are the photos its search returns by default (the search cut-off), kept current in
   * the background as photos are indexed and when the model changes, plus the photos the user pinned in.
   */
  'albums.list': z.object({}).strict(),
  'albums.create': z.object({ name: text(200).min(1) }).strict(),
  'albums.rename': z.object({ id: photoId, name: text(200).min(1) }).strict(),
  /** Deletes the album, never its photos. */
  'albums.delete': z.object({ id: photoId }).strict(),
  /** A smart album: `query` as search takes it (negatives included), `filters` as the grid's (not its own albumId). */
  'albums.createSmart': z.object({ name: text(200).min(1), query: text(500).min(1), filters: FiltersSchema.default({}) }).strict(),
  /** Changes a smart album's search; its pins and keep-outs stay. */
  'albums.editSmart': z.object({ id: photoId, query: text(500).min(1).optional(), filters: FiltersSchema.optional() }).strict(),
  /**
   * Adds photos. On a smart album this pins them in: they stay members whatever the search returns, and a
   * keep-out of theirs is lifted. Never overwritten by the background update.
   */
  'albums.add': z.object({ id: photoId, photoIds: z.array(photoId).min(1).max(100_000) }).strict(),
  /**
   * Removes photos. On a smart album this keeps them out: the search never adds them back (a pin of theirs is
   * lifted). Never overwritten by the background update; `albums.add` brings one back.
   */
  'albums.remove': z.object({ id: photoId, photoIds: z.array(photoId).min(1).max(100_000) }).strict(),
  /** Why a photo is (or is not) in an album: its search and relevance, or the user's pin / keep-out. */
  'albums.why': z.object({ id: photoId, photoId }).strict(),
  /** Culling marks, kept in the catalog and written to `.xmp` sidecars when those are on. */
  'photos.rate': z.object({ ids: z.array(photoId).min(1).max(100_000), rating: z.number().int().min(0).max(5) }).strict(),
  'photos.flag': z.object({ ids: z.array(photoId).min(1).max(100_000), flag: z.enum(['pick', 'reject', 'none']) }).strict(),
  'photos.label': z.object({ ids: z.array(photoId).min(1).max(100_000), label: z.enum(['red', 'yellow', 'green', 'blue', 'purple', 'none']) }).strict(),
} as const;

export type ProcedureName = keyof typeof procedures;
export type ProcedureInput<P extends ProcedureName> = z.input<(typeof procedures)[P]>;
export type ParsedInput<P extends ProcedureName> = z.output<(typeof procedures)[P]>;

/** What the grid, search results and viewer strip show of a photo. */
export interface PhotoSummary {
  id: number;
  /** File name, for captions and alt text. */
  name: string;
  width: number;
  height: number;
  takenAt: number | null;
  /** Sort key of the grid: capture time, else file modification time. */
  sortKey: number;
  /** A tiny blurred image (thumbhash data URL) to show while the thumbnail loads; null before it exists. */
  placeholder: string | null;
  /** Culling marks, so a grid cell can show its stars, flag and colour label without asking for the detail. */
  rating: number | null;
  flag: 'pick' | 'reject' | null;
  label: 'red' | 'yellow' | 'green' | 'blue' | 'purple' | null;
}

export interface PhotoDetail extends PhotoSummary {
  path: string;
  folder: string | null;
  size: number;
  format: string;
  mtimeMs: number;
  cameraMake: string | null;
  cameraModel: string | null;
  lens: string | null;
  focalLength: number | null;
  aperture: number | null;
  exposureTime: number | null;
  iso: number | null;
  gpsLatitude: number | null;
  gpsLongitude: number | null;
  /** Focus measure from indexing (variance of the Laplacian on the grid thumbnail): higher is sharper; for comparing shots of one burst. */
  sharpness: number | null;
  /** Ids of the albums the photo is in. */
  albumIds: number[];
}

export interface AlbumView {
  id: number;
  name: string;
  /** How many photos are in it now (for a smart album: matches and pins, less keep-outs). */
  photos: number;
  createdAt: number;
  updatedAt: number;
  /** Present on a smart album: the search that defines it. */
  smart?: SmartAlbumDefinition;
}

export interface SmartAlbumDefinition {
  query: string;
  filters: Filters;
}

/**
 * Why a photo is in an album. `match`: the smart album's search returns it, with `relevance` (the search's
 * log-odds against the query's closest alternative: higher is a clearer match). `pinned`: the user put it
 * there (every photo of a hand album, or a photo pinned into a smart album; `relevance` too when it also
 * matches). `kept-out`: the user removed it from a smart album. `none`: not in the album. `query` is the smart
 * album's search, null for a hand album.
 */
export interface AlbumWhyView {
  reason: 'match' | 'pinned' | 'kept-out' | 'none';
  query: string | null;
  relevance?: number;
}

/** What adding to / removing from an album changed; ids that name no photo are listed, the rest still happen. */
export interface AlbumChangeView {
  album: AlbumView;
  changed: number;
  failed: { id: number; error: string }[];
}

export interface MarkChangeView {
  photos: number;
  failed: { id: number; error: string }[];
}

export interface FolderStatus {
  id: number;
  path: string;
  photoCount: number;
  failedCount: number;
  /** False while the folder cannot be read (an unplugged drive): its photos stay in the library. */
  online: boolean;
  lastIndexedAt: number | null;
}

export interface IndexingState {
  state: 'idle' | 'scanning' | 'indexing' | 'paused';
  /** Files of the current run: found so far, finished (indexed or unchanged) and failed. */
  queued: number;
  done: number;
  failed: number;
  /** Photos per second over the last seconds of the run, and the estimated seconds left. */
  rate: number;
  etaSeconds: number | null;
  current: string | null;
}

export interface LibraryStatus {
  libraryDir: string;
  photoCount: number;
  model: { name: string; provider: string | null } | null;
  /** Why there is no model, and what to do about it. */
  modelProblem: string | null;
  folders: FolderStatus[];
  indexing: IndexingState;
}

export interface FileFailure {
  path: string;
  folderId: number | null;
  stage: string;
  message: string;
  at: number;
}

export interface Page {
  items: PhotoSummary[];
  /** Pass back as `after` for the next page (an opaque cursor); null at the end. */
  next: { key: string; id: number } | null;
  total: number;
}

export interface SearchResponse {
  results: PhotoSummary[];
  /** True when nothing cleared the relevance cut-off and `results` are only the closest photos. */
  weak: boolean;
}

export interface Facets {
  folders: { id: number; path: string }[];
  cameras: string[];
  takenRange: { from: number; to: number } | null;
}

export interface DuplicateGroupView {
  kind: 'exact' | 'near' | 'edit' | 'similar';
  mirrored: boolean;
  keepId: number;
  keepReason: string;
  photos: (PhotoSummary & { path: string; size: number; format: string; sharpness: number | null })[];
}

export interface TagCountView {
  /** Its place in the hierarchy, "Nature > Beach": what filters and decisions name. */
  path: string;
  name: string;
  photos: number;
}

export interface PhotoTag {
  name: string;
  path: string;
  /** Confidence in [0, 1]; 1 for the user's own tags. */
  score: number;
  source: 'auto' | 'user';
  state: 'suggested' | 'accepted' | 'pinned' | 'rejected';
}

export interface ModelView {
  id: string;
  title: string | null;
  installed: boolean;
  active: boolean;
  default: boolean;
  approxBytes: number | null;
  languages: string[];
  imagenetZeroShotTop1: number | null;
  licence: string | null;
}

/** One step of installing or switching to a model, summarised for a progress bar. */
export interface ModelProgress {
  name: string;
  phase: 'download' | 'copy' | 'extract' | 'verify' | 'self-check' | 'index' | 'done' | 'failed';
  /** What is happening, in words ("onnx/vision_model.onnx", "412 of 9 800 photos"). */
  detail: string;
  /** 0..1 when known. */
  fraction: number | null;
  etaSeconds: number | null;
  error: string | null;
}

export interface Outputs {
  status: LibraryStatus;
  'folders.add': FolderStatus;
  'folders.remove': { removedPhotos: number };
  'folders.failures': FileFailure[];
  'indexing.pause': IndexingState;
  'indexing.resume': IndexingState;
  'photos.page': Page;
  'photos.get': PhotoDetail;
  'search.text': SearchResponse;
  'search.similar': SearchResponse;
  facets: Facets;
  'duplicates.list': DuplicateGroupView[];
  'duplicates.resolve': { trashed: number[]; failed: { id: number; error: string }[] };
  'photos.trash': { trashed: number[]; failed: { id: number; error: string }[] };
  'duplicates.notDuplicates': { ok: true };
  'tags.counts': TagCountView[];
  'tags.ofPhoto': PhotoTag[];
  'tags.decide': { photos: number; tag: string };
  'tags.autotag': { photos: number; suggestions: number };
  'models.list': ModelView[];
  'models.use': { started: boolean };
  'settings.get': Settings;
  'settings.set': Settings;
  'albums.list': AlbumView[];
  'albums.create': AlbumView;
  'albums.rename': AlbumView;
  'albums.delete': AlbumView;
  'albums.createSmart': AlbumView;
  'albums.editSmart': AlbumView;
  'albums.add': AlbumChangeView;
  'albums.remove': AlbumChangeView;
  'albums.why': AlbumWhyView;
  'photos.rate': MarkChangeView;
  'photos.flag': MarkChangeView;
  'photos.label': MarkChangeView;
}

/** Pushed from the core to every connected renderer. */
export interface Events {
  'indexing.progress': IndexingState;
  /** Photos were added, changed or removed: grids and results may be stale. */
  'library.changed': { photoCount: number };
  'models.progress': ModelProgress;
}
export type EventName = keyof Events;

/** An error a caller can show: `invalid-input` (bad request), `not-found`, `user` (fixable), `internal`. */
export interface ApiErrorBody {
  code: 'invalid-input' | 'not-found' | 'user' | 'internal' | 'unknown-procedure';
  message: string;
}
