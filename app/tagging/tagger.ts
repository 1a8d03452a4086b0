import type { Catalog } from '../catalog/catalog.js';
import type { EmbeddingStore, ModelRecord } from '../catalog/embeddings.js';
import type { AutoSuggestion, TagRecord } from '../catalog/tags.js';
import type { ClipModel } from '../model/clip-model.js';
import { modelCalibration } from '../search/model-calibration.js';
import { acceptTags, embedAlternatives, scoreTags, type TagScores } from './acceptance.js';
import { tagVectors } from './text-vectors.js';
import { splitTagPath, vocabularyHash } from './vocabulary.js';

export interface TaggerContext {
  catalog: Catalog;
  embeddings: EmbeddingStore;
  record: ModelRecord;
  model: ClipModel;
}

export interface AutotagReport {
  /** Photos whose suggestions were replaced. */
  photos: number;
  /** Tags in the vocabulary that was run. */
  tags: number;
  /** Tags the rule accepted over those photos (on a tag the user rejected, the rejection stays). */
  suggestions: number;
  vocabularyHash: string;
  model: string;
}

/**
 * How far a tagging run is: the text tower embedding prompts not cached yet, then the photos scored (at once:
 * scoring is one synchronous pass, 6.5 s at 100 000 photos).
 */
export interface AutotagProgress {
  phase: 'prompts' | 'photos';
  done: number;
  total: number;
}

/** What the last complete run used; a different vocabulary or model makes the library's tags stale. */
export interface TaggingRun {
  vocabularyHash: string;
  modelKey: string;
}

const LAST_RUN_SETTING = 'tagging.last_run';

export function lastRun(catalog: Catalog): TaggingRun | undefined {
  const raw = catalog.settings.get(LAST_RUN_SETTING);
  return raw ? (JSON.parse(raw) as TaggingRun) : undefined;
}

export function activeVocabularyHash(tags: readonly TagRecord[]): string {
  return vocabularyHash(tags.map((t) => ({ name: t.name, path: splitTagPath(t.key), prompts: t.prompts ?? [] })));
}

/** Every photo × vocabulary tag score (cosine, log-odds against the tag's alternatives) over the library's stored vectors. */
export async function scoreLibrary(
  ctx: TaggerContext,
  onProgress?: (progress: AutotagProgress) => void,
): Promise<{ photoIds: number[]; tags: TagRecord[]; scores: TagScores }> {
  const tags = ctx.catalog.tags.vocabulary().filter((t) => t.prompts && t.prompts.length > 0);
  const vectors = await tagVectors(
    tags.map((t) => ({ id: t.id, prompts: t.prompts! })),
    ctx.model,
    ctx.record,
    ctx.catalog.tags,
    onProgress ? (done, total) => onProgress({ phase: 'prompts', done, total }) : undefined,
  );
  // Each tag's one-word alternatives ([Note: tag acceptance]); embedded per run, not cached with the tags.
  const alternatives = await embedAlternatives(
    tags.map((t) => ({ name: t.name, prompts: t.prompts! })),
    async (texts) => (await ctx.model.embedTexts(texts)).map((e) => e.embedding),
    ctx.record.dim,
  );
  const calibration = await modelCalibration(ctx.model);
  // Tagging never decodes a photo again: it reads the vectors indexing stored. (sample() with no limit
  // returns every row; the rule judges each photo alone, so only the photos re-tagged are needed.)
  const photos = ctx.embeddings.sample(Number.POSITIVE_INFINITY);
  onProgress?.({ phase: 'photos', done: 0, total: photos.length });
  const scores = scoreTags(
    photos.map((p) => p.embedding),
    vectors,
    alternatives,
    calibration,
  );
  onProgress?.({ phase: 'photos', done: photos.length, total: photos.length });
  return { photoIds: photos.map((p) => p.photoId), tags, scores };
}

/**
 * Runs the vocabulary over the library (or over `onlyPhotoIds`) and replaces the tagger's suggestions in
 * one transaction. [Note: user decisions win] Rows the user accepted, rejected or pinned, and tags that came
 * from the user or from the photo's own keywords, are never overwritten: a rejected tag stays rejected
 * however high it scores next time.
 */
export async function autotag(
  ctx: TaggerContext,
  onlyPhotoIds?: readonly number[],
  onProgress?: (progress: AutotagProgress) => void,
): Promise<AutotagReport> {
  const { photoIds, tags, scores } = await scoreLibrary(ctx, onProgress);
  const wanted = onlyPhotoIds ? new Set(onlyPhotoIds) : undefined;
  const suggestions: AutoSuggestion[] = acceptTags(scores)
    .filter((a) => !wanted || wanted.has(photoIds[a.photoIndex]!))
    .map((a) => ({ photoId: photoIds[a.photoIndex]!, tagId: tags[a.tagIndex]!.id, score: Math.round(a.score * 1000) / 1000 }));
  const hash = activeVocabularyHash(tags);
  ctx.catalog.transaction(() => {
    ctx.catalog.tags.replaceSuggestions(suggestions, onlyPhotoIds);
    if (!onlyPhotoIds) ctx.catalog.settings.set(LAST_RUN_SETTING, JSON.stringify({ vocabularyHash: hash, modelKey: ctx.record.key } satisfies TaggingRun));
  });
  return { photos: wanted ? wanted.size : photoIds.length, tags: tags.length, suggestions: suggestions.length, vocabularyHash: hash, model: ctx.record.name };
}
