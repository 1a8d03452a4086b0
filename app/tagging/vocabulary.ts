import { createHash } from 'node:crypto';
import { UserError } from '../util/errors.js';

/**
 * [Note: vocabulary files]
 * A vocabulary is a plain text file, one tag a line, so a photographer can write one in any editor:
 *
 *     # comments and blank lines are ignored
 *     Nature > Beach                          → tag "Beach" under the group "Nature", default prompts
 *     Nature > Beach: a sandy beach; the sea shore   → the same tag with its own prompts (";"-separated)
 *     dog                                     → a top-level tag
 *
 * `>` builds the hierarchy (Lightroom's "Nature|Beach"); groups are implied by the paths and never scored
 * themselves. Tags under the same group are siblings: they compete with each other when the tagger decides
 * (see [Note: tag acceptance]). A tag without its own prompts gets the default prompt templates.
 */
export interface VocabularyTag {
  /** The tag's own name, the last segment of its path ("Beach"). */
  name: string;
  /** The full hierarchy, outermost first (["Nature", "Beach"]). */
  path: string[];
  /** Texts the text tower embeds for this tag; their mean is the tag's vector (prompt ensembling). */
  prompts: string[];
}

export interface Vocabulary {
  tags: VocabularyTag[];
  /** Stable hash of the parsed vocabulary: a change of any tag or prompt triggers re-tagging. */
  hash: string;
}

export const PATH_SEPARATOR = ' > ';

/** The key a tag is stored under: its full path joined with " > ". */
export function tagKey(path: readonly string[]): string {
  return path.join(PATH_SEPARATOR);
}

/** Splits "Nature > Beach" (or "Nature|Beach", Lightroom's form) into its trimmed segments. */
export function splitTagPath(text: string): string[] {
  return text
    .split(/[>|]/)
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s.length > 0);
}

/**
 * Prompt templates for tags without their own prompts. Several phrasings averaged give a steadier text
 * vector than any single one (CLIP's "prompt ensembling"); these are the photo-centred ones that work for
 * scenes, subjects and styles alike.
 */
export const DEFAULT_TEMPLATES: readonly string[] = ['a photo of {}', 'a picture of {}', 'an image of {}', '{}'];

/** "beach" → "a beach", "owl" → "an owl"; leaves plurals, articles and numbers alone. */
export function withArticle(phrase: string): string {
  const lower = phrase.toLowerCase();
  if (/^(a|an|the|two|some|one)\s/.test(lower) || /[^s]s$/.test(lower)) return lower;
  return `${/^[aeiou]/.test(lower) ? 'an' : 'a'} ${lower}`;
}

export function defaultPrompts(name: string): string[] {
  const subject = withArticle(name);
  return DEFAULT_TEMPLATES.map((t) => t.replace('{}', t === '{}' ? name.toLowerCase() : subject));
}

/** Parses a vocabulary file's text. Errors name the line; duplicate tags are an error too. */
export function parseVocabulary(text: string, source = 'vocabulary'): Vocabulary {
  const tags: VocabularyTag[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const colon = line.indexOf(':');
    const head = colon >= 0 ? line.slice(0, colon) : line;
    const path = splitTagPath(head);
    if (path.length === 0) throw new UserError(`${source} line ${i + 1}: no tag name in "${raw.trim()}"`);
    const own = colon >= 0 ? line.slice(colon + 1).split(';').map((p) => p.trim()).filter(Boolean) : [];
    const key = tagKey(path).toLowerCase();
    if (seen.has(key)) throw new UserError(`${source} line ${i + 1}: "${tagKey(path)}" is listed twice`);
    seen.add(key);
    const name = path[path.length - 1]!;
    tags.push({ name, path, prompts: own.length > 0 ? own : defaultPrompts(name) });
  });
  if (tags.length === 0) throw new UserError(`${source} has no tags`);
  return { tags, hash: vocabularyHash(tags) };
}

export function vocabularyHash(tags: readonly VocabularyTag[]): string {
  const canonical = tags.map((t) => `${tagKey(t.path)}\t${t.prompts.join('\t')}`).join('\n');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/** Tags grouped by parent path: each group's members compete (siblings). */
export function siblingGroups<T extends { path: readonly string[] }>(tags: readonly T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const t of tags) {
    const parent = tagKey(t.path.slice(0, -1));
    const group = groups.get(parent);
    if (group) group.push(t);
    else groups.set(parent, [t]);
  }
  return [...groups.values()];
}
