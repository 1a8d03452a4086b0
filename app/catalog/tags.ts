import type { Database, Statement } from 'better-sqlite3';
import { fromBlob, toBlob } from '../util/vector.js';

export type TagSource = 'auto' | 'user';
/** suggested = the tagger's, replaced by the next run; the other three are the user's and never overwritten. */
export type TagState = 'suggested' | 'accepted' | 'rejected' | 'pinned';

export interface TagRecord {
  id: number;
  /** Full hierarchy joined with " > ". */
  key: string;
  name: string;
  /** Prompts the text tower embeds, or null for keyword-only and user tags without prompts. */
  prompts: string[] | null;
  inVocabulary: boolean;
}

export interface PhotoTag {
  tagId: number;
  key: string;
  name: string;
  score: number;
  source: TagSource;
  state: TagState;
}

export interface TagCount {
  tagId: number;
  key: string;
  name: string;
  photos: number;
}

export interface AutoSuggestion {
  photoId: number;
  tagId: number;
  score: number;
}

interface TagRow {
  id: number;
  key: string;
  name: string;
  prompts: string | null;
  inVocabulary: number;
}

const TAG_COLUMNS = 'id, key, name, prompts, in_vocabulary AS inVocabulary';
/** States under which a photo shows a tag (in the viewer, the counts and the tag filter). */
const VISIBLE = `('suggested', 'accepted', 'pinned')`;

function toRecord(row: TagRow): TagRecord {
  return { id: row.id, key: row.key, name: row.name, prompts: row.prompts === null ? null : (JSON.parse(row.prompts) as string[]), inVocabulary: row.inVocabulary === 1 };
}

/** SQL for the `tags`, `photo_tags` and `tag_vectors` tables. */
export class TagStore {
  private readonly upsertTagStmt: Statement<{ key: string; name: string; prompts: string | null; now: number }, { id: number }>;
  private readonly byKeyStmt: Statement<[string], TagRow>;
  private readonly byNameStmt: Statement<[string], TagRow>;
  private readonly underStmt: Statement<[string, string], TagRow>;
  private readonly vocabularyStmt: Statement<[], TagRow>;
  private readonly clearVocabularyStmt: Statement<[]>;
  private readonly markVocabularyStmt: Statement<[number]>;
  private readonly vectorStmt: Statement<[number, number, string], { vector: Buffer }>;
  private readonly putVectorStmt: Statement<[number, number, string, Buffer]>;
  private readonly photoTagsStmt: Statement<[number], PhotoTag>;
  private readonly clearSuggestionsStmt: Statement<[]>;
  private readonly clearPhotoSuggestionsStmt: Statement<[number]>;
  private readonly suggestStmt: Statement<{ photoId: number; tagId: number; score: number; now: number }>;
  private readonly decideStmt: Statement<{ photoId: number; tagId: number; score: number; source: TagSource; state: TagState; now: number }>;
  private readonly removeStmt: Statement<[number, number]>;
  private readonly countsStmt: Statement<[], TagCount>;

  constructor(private readonly db: Database) {
    this.upsertTagStmt = db.prepare(`
      INSERT INTO tags (key, name, prompts, created_at) VALUES (@key, @name, @prompts, @now)
      ON CONFLICT(key) DO UPDATE SET prompts = coalesce(excluded.prompts, tags.prompts)
      RETURNING id`);
    this.byKeyStmt = db.prepare(`SELECT ${TAG_COLUMNS} FROM tags WHERE key = ? COLLATE NOCASE`);
    this.byNameStmt = db.prepare(`SELECT ${TAG_COLUMNS} FROM tags WHERE name = ? COLLATE NOCASE ORDER BY key`);
    // A tag and everything below it in the hierarchy ("Nature" → "Nature > Beach").
    this.underStmt = db.prepare(`SELECT ${TAG_COLUMNS} FROM tags WHERE key = ? COLLATE NOCASE OR key LIKE ? ESCAPE '\\' ORDER BY key`);
    this.vocabularyStmt = db.prepare(`SELECT ${TAG_COLUMNS} FROM tags WHERE in_vocabulary = 1 ORDER BY id`);
    this.clearVocabularyStmt = db.prepare('UPDATE tags SET in_vocabulary = 0 WHERE in_vocabulary = 1');
    this.markVocabularyStmt = db.prepare('UPDATE tags SET in_vocabulary = 1 WHERE id = ?');
    this.vectorStmt = db.prepare('SELECT vector FROM tag_vectors WHERE tag_id = ? AND model_id = ? AND prompts_hash = ?');
    this.putVectorStmt = db.prepare(`
      INSERT INTO tag_vectors (tag_id, model_id, prompts_hash, vector) VALUES (?, ?, ?, ?)
      ON CONFLICT(tag_id, model_id) DO UPDATE SET prompts_hash = excluded.prompts_hash, vector = excluded.vector`);
    this.photoTagsStmt = db.prepare(`
      SELECT t.id AS tagId, t.key, t.name, pt.score, pt.source, pt.state
      FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.photo_id = ? ORDER BY pt.score DESC, t.key`);
    this.clearSuggestionsStmt = db.prepare(`DELETE FROM photo_tags WHERE state = 'suggested' AND source = 'auto'`);
    this.clearPhotoSuggestionsStmt = db.prepare(`DELETE FROM photo_tags WHERE state = 'suggested' AND source = 'auto' AND photo_id = ?`);
    // A suggestion never overwrites a decision: on conflict only the score is refreshed, the state stays.
    this.suggestStmt = db.prepare(`
      INSERT INTO photo_tags (photo_id, tag_id, score, source, state, updated_at) VALUES (@photoId, @tagId, @score, 'auto', 'suggested', @now)
      ON CONFLICT(photo_id, tag_id) DO UPDATE SET score = CASE WHEN photo_tags.source = 'auto' THEN excluded.score ELSE photo_tags.score END`);
    this.decideStmt = db.prepare(`
      INSERT INTO photo_tags (photo_id, tag_id, score, source, state, updated_at) VALUES (@photoId, @tagId, @score, @source, @state, @now)
      ON CONFLICT(photo_id, tag_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`);
    this.removeStmt = db.prepare('DELETE FROM photo_tags WHERE photo_id = ? AND tag_id = ?');
    this.countsStmt = db.prepare(`
      SELECT t.id AS tagId, t.key, t.name, count(*) AS photos
      FROM photo_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.state IN ${VISIBLE}
      GROUP BY t.id ORDER BY photos DESC, t.key`);
  }

  /** Creates the tag or returns the existing one; prompts given replace the stored ones. */
  ensure(key: string, name: string, prompts: string[] | null, now = Date.now()): number {
    return this.upsertTagStmt.get({ key, name, prompts: prompts ? JSON.stringify(prompts) : null, now })!.id;
  }

  byKey(key: string): TagRecord | undefined {
    const row = this.byKeyStmt.get(key);
    return row ? toRecord(row) : undefined;
  }

  byName(name: string): TagRecord[] {
    return this.byNameStmt.all(name).map(toRecord);
  }

  /** The tag with this key and every tag below it in the hierarchy. */
  withDescendants(key: string): TagRecord[] {
    const escaped = key.replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.underStmt.all(key, `${escaped} > %`).map(toRecord);
  }

  vocabulary(): TagRecord[] {
    return this.vocabularyStmt.all().map(toRecord);
  }

  /** Makes exactly these tags the active vocabulary (caller's transaction). */
  setVocabulary(tagIds: readonly number[]): void {
    this.clearVocabularyStmt.run();
    for (const id of tagIds) this.markVocabularyStmt.run(id);
  }

  vector(tagId: number, modelId: number, promptsHash: string): Float32Array | undefined {
    const row = this.vectorStmt.get(tagId, modelId, promptsHash);
    return row ? fromBlob(row.vector) : undefined;
  }

  putVector(tagId: number, modelId: number, promptsHash: string, vector: Float32Array): void {
    this.putVectorStmt.run(tagId, modelId, promptsHash, toBlob(vector));
  }

  /** Every tag row of a photo, rejected ones included (callers filter), best score first. */
  ofPhoto(photoId: number): PhotoTag[] {
    return this.photoTagsStmt.all(photoId);
  }

  /**
   * Replaces the tagger's suggestions with a new run's, in the caller's transaction. Rows the user decided
   * (accepted, rejected, pinned) and user-source rows are kept as they are: see [Note: user decisions win].
   * `photoIds` limits the replacement to those photos (tagging a folder or a selection).
   */
  replaceSuggestions(suggestions: readonly AutoSuggestion[], photoIds?: readonly number[], now = Date.now()): void {
    if (photoIds) for (const id of photoIds) this.clearPhotoSuggestionsStmt.run(id);
    else this.clearSuggestionsStmt.run();
    for (const s of suggestions) this.suggestStmt.run({ ...s, now });
  }

  /** Records the user's decision on one photo's tag (creating the row for a tag the user adds). */
  decide(photoId: number, tagId: number, state: Exclude<TagState, 'suggested'>, source: TagSource, now = Date.now()): void {
    this.decideStmt.run({ photoId, tagId, score: 1, source, state, now });
  }

  remove(photoId: number, tagId: number): void {
    this.removeStmt.run(photoId, tagId);
  }

  /** Photos showing any of these tags (suggested, accepted or pinned). */
  photoIdsWith(tagIds: readonly number[]): number[] {
    if (tagIds.length === 0) return [];
    const marks = tagIds.map(() => '?').join(', ');
    const rows = this.db
      .prepare<number[], { photoId: number }>(`SELECT DISTINCT photo_id AS photoId FROM photo_tags WHERE tag_id IN (${marks}) AND state IN ${VISIBLE} ORDER BY photo_id`)
      .all(...tagIds);
    return rows.map((r) => r.photoId);
  }

  /** How many photos show each tag, most used first. */
  counts(): TagCount[] {
    return this.countsStmt.all();
  }
}
