import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../catalog/catalog.js';
import type { TagRecord, TagSource, TagState } from '../catalog/tags.js';
import { UserError } from '../util/errors.js';
import { toFsPath } from '../util/fs-names.js';
import { DEFAULT_VOCABULARY_FILE, loadVocabularyFile } from './default-vocabulary.js';
import { activeVocabularyHash, autotag, lastRun, type AutotagProgress, type AutotagReport, type TaggerContext } from './tagger.js';
import { splitTagPath, tagKey, type Vocabulary } from './vocabulary.js';
import { readKeywords } from './xmp-read.js';
import { writeSidecar, type SidecarOutcome } from './xmp-write.js';

export type TagDecision = 'add' | 'accept' | 'reject' | 'pin' | 'remove';

export interface ShownTag {
  /** The tag's own name ("Beach"). */
  name: string;
  /** Its place in the hierarchy ("Scene > Beach"). */
  path: string;
  /** Confidence in [0, 1]: the tagger's, or 1 for the user's own tags. */
  score: number;
  source: TagSource;
  state: TagState;
}

export interface SidecarReport {
  written: number;
  unchanged: number;
  /** Sidecars another program wrote, left alone. */
  skipped: string[];
}

const SIDECAR_SETTING = 'tagging.write_sidecars';
const USER_TAGS_SETTING = 'tagging.user_prompted_tags';
const HIDDEN_SETTING = 'tagging.hidden_groups';

/**
 * Everything tags: the vocabulary, auto-tagging, the user's decisions, keywords read at ingest and sidecars
 * written on request. Core delegates here; SQL stays in catalog/tags.ts.
 */
export class Tagging {
  constructor(
    private readonly catalog: Catalog,
    private readonly context: () => Promise<TaggerContext>,
  ) {}

  /** The catalog, model and vector table tagging runs over (binds the model on first use). */
  taggerContext(): Promise<TaggerContext> {
    return this.context();
  }

  /**
   * Tags the library with `vocabulary` (which becomes the library's vocabulary), else with the library's
   * current one, else with the shipped default. `paths` (photos or folders) limits which photos get new
   * suggestions; the statistics always come from the whole library.
   */
  async autotag(
    options: { vocabulary?: Vocabulary; paths?: readonly string[]; onProgress?: (progress: AutotagProgress) => void } = {},
  ): Promise<AutotagReport> {
    if (options.vocabulary) this.useVocabulary(options.vocabulary);
    else this.ensureVocabulary();
    const ids = options.paths ? this.photoIdsAt(options.paths) : undefined;
    const report = await autotag(await this.context(), ids, options.onProgress);
    if (this.sidecarsEnabled()) this.writeSidecars(ids);
    return report;
  }

  /** True when the vocabulary or the model changed since the last complete run (or none ran yet). */
  async isStale(): Promise<boolean> {
    const run = lastRun(this.catalog);
    if (!run) return true;
    const { record } = await this.context();
    return run.modelKey !== record.key || run.vocabularyHash !== activeVocabularyHash(this.catalog.tags.vocabulary());
  }

  /** Whether tagging was ever run on this library (indexing then keeps tags fresh in the background). */
  hasRun(): boolean {
    return lastRun(this.catalog) !== undefined;
  }

  /** Installs a vocabulary; tags the user defined with their own prompts stay in it. */
  useVocabulary(vocabulary: Vocabulary): void {
    this.catalog.transaction(() => {
      const ids = vocabulary.tags.map((t) => this.catalog.tags.ensure(tagKey(t.path), t.name, t.prompts));
      for (const key of this.userPromptedTags()) {
        const tag = this.catalog.tags.byKey(key);
        if (tag && !ids.includes(tag.id)) ids.push(tag.id);
      }
      this.catalog.tags.setVocabulary(ids);
    });
  }

  /** Adds (or re-prompts) a tag of the user's own, scored by auto-tagging from now on. */
  defineTag(name: string, prompts: readonly string[]): TagRecord {
    const segments = splitTagPath(name);
    if (segments.length === 0) throw new UserError('a tag needs a name');
    const cleaned = prompts.map((p) => p.trim()).filter(Boolean);
    if (cleaned.length === 0) throw new UserError(`tag "${name}" needs at least one prompt`);
    this.ensureVocabulary();
    const key = tagKey(segments);
    this.catalog.transaction(() => {
      const id = this.catalog.tags.ensure(key, segments.at(-1)!, cleaned);
      this.catalog.settings.set(USER_TAGS_SETTING, JSON.stringify([...new Set([...this.userPromptedTags(), key])]));
      this.catalog.tags.setVocabulary([...new Set([...this.catalog.tags.vocabulary().map((t) => t.id), id])]);
    });
    return this.catalog.tags.byKey(key)!;
  }

  /** A photo's tags as the viewer shows them (rejected ones left out), most confident first. */
  tagsOf(photoPath: string): ShownTag[] {
    const photo = this.catalog.photos.byPath(path.resolve(photoPath));
    if (!photo) throw new UserError(`not in the library: ${photoPath} (index its folder first)`);
    return this.catalog.tags
      .ofPhoto(photo.id)
      .filter((t) => t.state !== 'rejected')
      .map((t) => ({ name: t.name, path: t.key, score: t.score, source: t.source, state: t.state }));
  }

  /**
   * The user's decision on a tag for photos and folders (a folder means every photo under it). `add` creates
   * the tag when it is new. Decisions are kept through every later auto-tagging run.
   */
  decide(paths: readonly string[], tagName: string, decision: TagDecision): { photos: number; tag: string } {
    const ids = this.photoIdsAt(paths);
    const tag = decision === 'add' ? this.ensureUserTag(tagName) : this.resolveTag(tagName);
    this.catalog.transaction(() => {
      for (const id of ids) {
        if (decision === 'remove') this.catalog.tags.remove(id, tag.id);
        else this.catalog.tags.decide(id, tag.id, decision === 'add' || decision === 'accept' ? 'accepted' : decision === 'reject' ? 'rejected' : 'pinned', 'user');
      }
    });
    if (this.sidecarsEnabled()) this.writeSidecars(ids);
    return { photos: ids.length, tag: tag.key };
  }

  counts() {
    return this.catalog.tags.counts();
  }

  /** Photos showing the tag or any tag below it ("Scene" finds beaches and forests). */
  photoIdsWithTag(tagName: string): number[] {
    // A group of the hierarchy ("Scene") is no tag of its own: it stands for the tags below it.
    const key = this.findTag(tagName)?.key ?? tagKey(splitTagPath(tagName));
    const tags = this.catalog.tags.withDescendants(key);
    if (tags.length === 0) throw new UserError(`no tag "${tagName}"`);
    return this.catalog.tags.photoIdsWith(tags.map((t) => t.id));
  }

  /** Imports a photo's existing keywords (embedded XMP/IPTC, `.xmp` sidecars) as user tags. */
  async importKeywords(photoIds: readonly number[]): Promise<number> {
    let imported = 0;
    for (const id of photoIds) {
      const photo = this.catalog.photos.byId(id);
      if (!photo) continue;
      const keywords = await readKeywords(photo.path);
      if (keywords.length === 0) continue;
      this.catalog.transaction(() => {
        for (const segments of keywords) {
          const tagId = this.catalog.tags.ensure(tagKey(segments), segments.at(-1)!, null);
          const existing = this.catalog.tags.ofPhoto(id).find((t) => t.tagId === tagId);
          // A keyword the user removed in Shoebox (rejected) is not brought back by re-reading the file.
          if (existing && existing.state !== 'suggested') continue;
          this.catalog.tags.decide(id, tagId, 'accepted', 'user');
          imported++;
        }
      });
    }
    return imported;
  }

  /** Groups of the hierarchy (for example "Not a photo", "Sensitive") whose photos the grid hides. */
  hiddenGroups(): string[] {
    const raw = this.catalog.settings.get(HIDDEN_SETTING);
    return raw ? (JSON.parse(raw) as string[]) : [];
  }

  setHiddenGroups(groups: readonly string[]): void {
    this.catalog.settings.set(HIDDEN_SETTING, JSON.stringify(groups.map((g) => tagKey(splitTagPath(g)))));
  }

  /** Photos showing a tag in a hidden group (a rejected tag does not hide its photo). */
  hiddenPhotoIds(): number[] {
    const ids = this.hiddenGroups().flatMap((g) => this.catalog.tags.withDescendants(g).map((t) => t.id));
    return this.catalog.tags.photoIdsWith(ids);
  }

  sidecarsEnabled(): boolean {
    return this.catalog.settings.get(SIDECAR_SETTING) === '1';
  }

  /** Turns writing `.xmp` sidecars on or off; turning it on writes them for the whole library at once. */
  setSidecars(on: boolean): SidecarReport | undefined {
    this.catalog.settings.set(SIDECAR_SETTING, on ? '1' : '0');
    return on ? this.writeSidecars() : undefined;
  }

  /** Writes the sidecars of these photos (default: all photos with tags or marks), when the setting is on. */
  writeSidecars(photoIds?: readonly number[]): SidecarReport {
    const report: SidecarReport = { written: 0, unchanged: 0, skipped: [] };
    if (!this.sidecarsEnabled()) return report;
    const ids = photoIds ?? [...new Set([...this.catalog.tags.photoIdsWith(this.catalog.tags.counts().map((c) => c.tagId)), ...this.catalog.marks.markedPhotoIds()])];
    for (const id of ids) {
      const photo = this.catalog.photos.byId(id);
      if (!photo || !fs.existsSync(toFsPath(photo.path))) continue;
      const tagPaths = this.catalog.tags
        .ofPhoto(id)
        .filter((t) => t.state !== 'rejected')
        .map((t) => splitTagPath(t.key));
      // Stars, flag and label travel in the same packet (see [Note: marks in sidecars]).
      const outcome: SidecarOutcome = writeSidecar(photo.path, tagPaths, this.catalog.marks.of(id));
      if (outcome === 'written') report.written++;
      else if (outcome === 'unchanged') report.unchanged++;
      else report.skipped.push(photo.path);
    }
    return report;
  }

  private ensureVocabulary(): void {
    if (this.catalog.tags.vocabulary().length === 0) this.useVocabulary(loadVocabularyFile(DEFAULT_VOCABULARY_FILE));
  }

  private userPromptedTags(): string[] {
    const raw = this.catalog.settings.get(USER_TAGS_SETTING);
    return raw ? (JSON.parse(raw) as string[]) : [];
  }

  private ensureUserTag(name: string): TagRecord {
    const existing = this.findTag(name);
    if (existing) return existing;
    const segments = splitTagPath(name);
    if (segments.length === 0) throw new UserError('a tag needs a name');
    const id = this.catalog.tags.ensure(tagKey(segments), segments.at(-1)!, null);
    return { id, key: tagKey(segments), name: segments.at(-1)!, prompts: null, inVocabulary: false };
  }

  private findTag(name: string): TagRecord | undefined {
    const segments = splitTagPath(name);
    const byKey = this.catalog.tags.byKey(tagKey(segments));
    if (byKey) return byKey;
    if (segments.length !== 1) return undefined;
    const byName = this.catalog.tags.byName(segments[0]!);
    if (byName.length > 1) throw new UserError(`"${name}" is ambiguous: ${byName.map((t) => t.key).join(', ')}`);
    return byName[0];
  }

  private resolveTag(name: string): TagRecord {
    const tag = this.findTag(name);
    if (!tag) throw new UserError(`no tag "${name}"`);
    return tag;
  }

  /** Photo ids for paths that are photos in the library or folders holding some. */
  private photoIdsAt(paths: readonly string[]): number[] {
    const ids = new Set<number>();
    for (const p of paths) {
      const resolved = path.resolve(p);
      const photo = this.catalog.photos.byPath(resolved);
      if (photo) {
        ids.add(photo.id);
        continue;
      }
      const under = this.catalog.photos.under(resolved, path.sep);
      if (under.length === 0) throw new UserError(`not in the library: ${p} (index its folder first)`);
      for (const u of under) ids.add(u.id);
    }
    return [...ids];
  }
}
