import { BACKDROP_TEXTS, CO_OCCURRING_ALLOWANCE, GENERIC_CONTRASTS, isSettingOnly, needsSettingContrasts, settingTexts, substitutions } from '../search/contrasts.js';
import { MATCH_LOG_ODDS } from '../search/relevance.js';
import { project, type ModelCalibration } from '../search/model-calibration.js';
import { dot } from '../util/vector.js';
import { defaultPrompts } from './vocabulary.js';

/**
 * [Note: tag acceptance]
 * A tag is a query the library did not type: it is accepted on a photo by the rule search uses for a query's
 * default results ([Note: query-anchored cut-off]), so whether a photo gets a tag depends on the photo, the tag
 * and the model, never on the rest of the library (issue 13; the rule before standardised each tag over the
 * library, so a tag most photos show could not be accepted, and a softmax over siblings made every tag of a
 * flat vocabulary compete with every other).
 *
 * The tag's vector is its prompts' ensemble (prompt ensembling, [Note: vocabulary files]); its alternatives are
 * the same prompts with one word of the tag's name changed into another of its kind ([Note: contrast prompts]:
 * "red circle" against "blue circle" and "red square", "beach" against the other settings), each ensembled
 * the same way, and the generic texts; a setting is also held against the plain backdrops, and a tag of a kind
 * not every photo shows ("Dog", "Wedding") against what the photo shows instead ([Note: what every photo
 * shows]). Tags of one kind are thus mutually exclusive where that can be shown (a one-word change between
 * members of a closed class or of one vocabulary group) and never across kinds: a photo can be a beach and
 * show a circle. Where the vocabulary is laid out (flat or in groups) does not change
 * any tag's alternatives, so a flat file tags as its hierarchical version does.
 *
 * A tag is accepted when its log-odds against its strongest alternative is at least MATCH_LOG_ODDS; at most
 * MAX_TAGS_PER_PHOTO tags per photo, the most confident first. The score shown is that two-way probability.
 */
export const ACCEPTANCE = {
  MIN_LOG_ODDS: MATCH_LOG_ODDS,
  /** A photo shows a handful of things; beyond a dozen suggestions a list stops being read. */
  MAX_TAGS_PER_PHOTO: 12,
} as const;

export type AcceptanceRule = { [K in keyof typeof ACCEPTANCE]: number };

/** A vocabulary tag as the rule needs it. */
export interface TagText {
  name: string;
  prompts: readonly string[];
}

/**
 * The tag's alternatives as prompt lists, one list per alternative (ensembled like the tag): its prompts with
 * one word of its name changed (prompts without that word are left out; with none left, the default prompts of
 * the changed name), then each generic text alone.
 */
export function alternativePrompts(tag: TagText, only?: (name: string) => boolean): { prompts: string[]; allowance: number }[] {
  const out: { prompts: string[]; allowance: number }[] = [];
  const seen = new Set<string>();
  for (const sub of substitutions(tag.name)) {
    if (only && !only(sub.replace(tag.name)!)) continue;
    let prompts = tag.prompts.flatMap((p) => sub.replace(p) ?? []);
    if (prompts.length === 0) prompts = defaultPrompts(sub.replace(tag.name)!);
    const key = prompts.join('\n');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ prompts, allowance: sub.allowance });
  }
  // A setting's other siblings: the plain backdrops of a photo with no setting (see isSettingOnly).
  if (isSettingOnly(tag.name)) for (const b of BACKDROP_TEXTS) out.push({ prompts: [b], allowance: 0 });
  // A tag of a kind not every photo shows ("Dog", "Wedding"): what the photo shows instead, as for a query
  // ([Note: what every photo shows]).
  else if (needsSettingContrasts(tag.name)) for (const t of settingTexts()) out.push({ prompts: [t], allowance: CO_OCCURRING_ALLOWANCE });
  for (const g of GENERIC_CONTRASTS) out.push({ prompts: [g], allowance: 0 });
  return out;
}

/** The alternatives of every tag, their distinct vectors shared between tags. */
export interface TagAlternatives {
  vectors: Float32Array[];
  /** of[tag]: indices into `vectors`, with the extra log-odds each needs to reject the tag. */
  of: { index: number; allowance: number }[][];
}

export interface TagScores {
  /** cosine[photo][tag]: similarity of each photo's vector to each tag's ensembled text vector. */
  cosine: Float32Array[];
  /** relevance[photo][tag]: log-odds of the tag against its strongest alternative (see above). */
  relevance: Float32Array[];
}

export interface Accepted {
  photoIndex: number;
  tagIndex: number;
  /** Confidence shown to the user: the probability of the tag against its strongest alternative, in [0, 1]. */
  score: number;
}

/** Cosines and log-odds for every photo × tag. */
export function scoreTags(
  photos: readonly Float32Array[],
  tags: readonly Float32Array[],
  alternatives: TagAlternatives,
  calibration: Pick<ModelCalibration, 'gap' | 'fixedAxis' | 'logitScale'>,
): TagScores {
  const projectedTags = tags.map((t) => project(t, calibration));
  const projectedAlternatives = alternatives.vectors.map((a) => project(a, calibration));
  const altScores = new Float32Array(projectedAlternatives.length);
  const cosine: Float32Array[] = [];
  const relevance: Float32Array[] = [];
  for (const photo of photos) {
    const v = project(photo, calibration);
    for (let a = 0; a < projectedAlternatives.length; a++) altScores[a] = dot(v, projectedAlternatives[a]!);
    const cos = new Float32Array(tags.length);
    const rel = new Float32Array(tags.length);
    for (let j = 0; j < tags.length; j++) {
      cos[j] = dot(photo, tags[j]!);
      const own = dot(v, projectedTags[j]!);
      let worst = Infinity;
      for (const a of alternatives.of[j]!) worst = Math.min(worst, calibration.logitScale * (own - altScores[a.index]!) + a.allowance);
      rel[j] = worst;
    }
    cosine.push(cos);
    relevance.push(rel);
  }
  return { cosine, relevance };
}

/** The tags each photo gets under the rule of [Note: tag acceptance]. */
export function acceptTags(scores: TagScores, rule: AcceptanceRule = ACCEPTANCE): Accepted[] {
  const out: Accepted[] = [];
  scores.relevance.forEach((row, i) => {
    const kept: Accepted[] = [];
    for (let j = 0; j < row.length; j++) if (row[j]! >= rule.MIN_LOG_ODDS) kept.push({ photoIndex: i, tagIndex: j, score: 1 / (1 + Math.exp(-row[j]!)) });
    kept.sort((a, b) => b.score - a.score);
    out.push(...kept.slice(0, rule.MAX_TAGS_PER_PHOTO));
  });
  return out;
}

/**
 * Every tag's alternatives as vectors: alternativePrompts embedded (distinct texts once, in batches) and
 * ensembled as a tag's own prompts are. Where the vocabulary itself holds tags one word away from a tag ("blue
 * circle" beside "red circle", "forest" beside "beach", in any layout), only those words are put into the tag's
 * prompts: the vocabulary names the choices it cares about, and a word it never uses may be one the model does
 * not know (whose text vector is then noise, and may beat the tag on its own photos).
 */
export async function embedAlternatives(tags: readonly TagText[], embedTexts: (texts: string[]) => Promise<Float32Array[]>, dim: number): Promise<TagAlternatives> {
  const names = new Set(tags.map((t) => t.name.toLowerCase()));
  const sets = tags.map((t) => {
    const own = t.name.toLowerCase();
    const named = substitutions(t.name).some((sub) => sub.replace(t.name) !== own && names.has(sub.replace(t.name)!));
    return alternativePrompts(t, named ? (name) => names.has(name) : undefined);
  });
  const texts = [...new Set(sets.flatMap((alts) => alts.flatMap((a) => a.prompts)))];
  const embedded = new Map<string, Float32Array>();
  for (let i = 0; i < texts.length; i += 64) {
    const batch = texts.slice(i, i + 64);
    (await embedTexts(batch)).forEach((v, k) => embedded.set(batch[k]!, v));
  }
  const index = new Map<string, number>();
  const vectors: Float32Array[] = [];
  const of = sets.map((alts) =>
    alts.map(({ prompts, allowance }) => {
      const key = prompts.join('\n');
      let at = index.get(key);
      if (at === undefined) {
        const mean = new Float32Array(dim);
        for (const p of prompts) embedded.get(p)!.forEach((x, d) => (mean[d]! += x));
        let norm = 0;
        for (let d = 0; d < dim; d++) norm += mean[d]! * mean[d]!;
        norm = Math.sqrt(norm) || 1;
        for (let d = 0; d < dim; d++) mean[d]! /= norm;
        at = vectors.length;
        vectors.push(mean);
        index.set(key, at);
      }
      return { index: at, allowance };
    }),
  );
  return { vectors, of };
}
