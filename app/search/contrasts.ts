import { DEFAULT_VOCABULARY_FILE, loadVocabularyFile } from '../tagging/default-vocabulary.js';

/**
 * [Note: contrast prompts]
 * Whether a photo matches a query is decided against the query's own alternatives, not against the rest of the
 * library: "a red circle" matches a photo when the model finds that text about as likely for the photo as the
 * best text that differs from it in one word of the same kind ("a blue circle", "a red square"). That is
 * CLIP's zero-shot question asked of the query itself, so it does not move when unrelated photos are added,
 * and a query's offset on the model's score scale cancels against alternatives phrased the same way.
 *
 * The kinds of words come from two places, neither tuned on any library:
 * - closed classes of English that describe what is in a picture: the 11 basic colour terms (Berlin & Kay)
 *   and the names of elementary plane shapes;
 * - every group of the shipped vocabulary (resources/vocabulary.txt): its file asks each group to be one
 *   question ("Scene", "Light", "Subject", …), so its members are alternatives to each other by construction.
 *
 * Generic descriptions of any picture (GENERIC_CONTRASTS) are always among the alternatives: a query then
 * matches a photo only where it says more about the photo than "a photo" does, which is all a query with no
 * word of any class ("a dog" where the model knows no dogs) is judged by.
 */
const CLOSED_CLASSES: readonly (readonly string[])[] = [
  // Basic colour terms; "gray|grey" are spellings of one word, never each other's alternative.
  ['black', 'white', 'red', 'green', 'yellow', 'blue', 'brown', 'orange', 'pink', 'purple', 'gray|grey'],
  ['circle', 'square', 'triangle', 'rectangle', 'star', 'heart', 'cross', 'ring', 'oval', 'diamond', 'hexagon', 'arrow'],
];

/**
 * Texts that describe any picture at all, and a picture of nothing (a plain backdrop, an empty frame): a query
 * or tag must say more about a photo than these do. The last two keep a photo with nothing in it from passing
 * for whichever concept it happens to resemble most (a plain black frame for "night"). Each meaning once: the
 * synonyms the first version also had ("a picture", "an image", "a photo of something") say nothing "a photo"
 * does not, and only add chances for a phrasing offset to reject a true match (with tiny-clip-gap, "a picture"
 * rejected the bare "sunset" on 7 of the 9 dev sunsets it missed; without the synonyms a sunset-majority
 * folder's recall went 0.87 → 0.96 and tag scene recall 0.93 → 0.95, and no other dev figure moved by more
 * than 0.01). Three texts fewer per query through the text tower.
 */
export const GENERIC_CONTRASTS: readonly string[] = ['a photo', 'a plain background', 'an empty picture'];

/**
 * At most this many alternatives per query: each is one more text through the text tower (about 1 ms with a
 * small model, 5-10 ms with ViT-B/32 on a CPU), and beyond a few dozen the strongest one rarely changes.
 */
export const MAX_CONTRASTS = 48;

interface Member {
  /** The member's spellings, the first being the one substituted in. */
  spellings: string[];
  /** The vocabulary group it comes from (members of different groups may both be true of one photo). */
  group: string;
}

interface WordClass {
  members: Member[];
  /** Whether every photo shows one of its members (see [Note: what every photo shows]). */
  exhaustive: boolean;
  /** The setting class (SETTING_GROUPS). */
  setting: boolean;
}

/**
 * Extra log-odds an alternative from another group of the setting class needs to reject the query. Places and
 * times of day are often true together (a beach at sunset), and then the model splits its belief between them:
 * such an alternative rejects the query only at odds of 4 : 1 (MATCH_LOG_ODDS is −ln 2, this adds ln 2 more),
 * where an alternative of the query's own group ("a forest" for "a beach", "a blue circle" for "a red circle")
 * already rejects it at 2 : 1.
 */
export const CO_OCCURRING_ALLOWANCE = Math.LN2;

let classes: WordClass[] | undefined;
/**
 * The vocabulary's groups that describe the setting (where and when: "Scene", "Light", "Weather", "Season")
 * form one class: a contrast only within "Light" ("the sunrise sky" for "the night sky") lets any dark picture
 * pass for night, while "a forest sky" rules it out. A photo that truly is both (a sunset over a beach) splits
 * the model's belief between the two, which CO_OCCURRING_ALLOWANCE allows for.
 */
const SETTING_GROUPS = new Set(['Scene', 'Light']);

function wordClasses(): WordClass[] {
  if (classes) return classes;
  const groups = new Map<string, Member[]>();
  for (const tag of loadVocabularyFile(DEFAULT_VOCABULARY_FILE).tags) {
    if (tag.path.length < 2) continue;
    const outer = tag.path.slice(0, -1).join('>');
    const cls = SETTING_GROUPS.has(outer) ? 'setting' : outer;
    const list = groups.get(cls) ?? [];
    list.push({ spellings: [tag.name.toLowerCase()], group: outer });
    groups.set(cls, list);
  }
  classes = [
    ...CLOSED_CLASSES.map((c, i) => ({ members: c.map((m) => ({ spellings: m.split('|'), group: `closed ${i}` })), exhaustive: true, setting: false })),
    ...[...groups].map(([cls, members]) => ({ members, exhaustive: cls === 'setting', setting: cls === 'setting' })),
  ];
  return classes;
}

/**
 * [Note: what every photo shows]
 * A query's siblings can only reject it on a photo that shows one of them. That holds for classes every photo
 * has a member of: every object has a colour and a shape, every photo was taken somewhere at some light (the
 * setting class, SETTING_GROUPS). It fails for the other groups of the vocabulary: a landscape shows no subject,
 * no event, no style, so "a dog" against "a cat", "a horse", … is a contest between texts none of which is true,
 * won by whichever leans towards the photo by chance. With a model that does not know the words at all (tiny-clip
 * has never seen a dog) that chance is the whole answer: the sibling rule alone returned 23–157 of the 600 dev
 * photos for "a dog", "a car" or "a wedding" on both test models (docs/benchmarks.md, "Issue 13").
 *
 * Such a query (one with no word of an exhaustive class, or no word of any class) is therefore also held against
 * what every photo does show: its setting, and for a photo with no setting, a plain backdrop of one colour
 * (settingTexts()). They are another kind than the query, often true together with it (a dog on a beach), so each
 * rejects the query only at CO_OCCURRING_ALLOWANCE, the odds an alternative of another setting group needs.
 * Queries naming a colour, a shape or a setting keep their siblings only: a setting or a backdrop is often a
 * better description of a whole photo than one of its objects, and would reject "a circle" on its own photos.
 */
export function needsSettingContrasts(query: string): boolean {
  return !classesIn(query).some((c) => c.exhaustive);
}

/**
 * Whether every word of a known kind in the text is a setting ("sunset", "a beach", "the night sky"). A photo of
 * an object on a plain backdrop has no setting: for such a text the backdrops (BACKDROP_TEXTS) are alternatives
 * of its own class, as exclusive of a beach as a forest is (allowance 0). With them a plain pink frame is no
 * sunset and a plain white one no snow (tags of the dev vocabulary, scene precision 0.92 → 1.00 on tiny-clip).
 */
export function isSettingOnly(text: string): boolean {
  const found = classesIn(text);
  return found.length > 0 && found.every((c) => c.setting);
}

function classesIn(text: string): WordClass[] {
  const lower = text.toLowerCase();
  const words = wordsOf(lower);
  return wordClasses().filter((c) => c.members.some((m) => m.spellings.some((s) => names(lower, words, s))));
}

/**
 * What every photo shows instead of a query of a non-exhaustive kind (see [Note: what every photo shows]): each
 * setting of the shipped vocabulary (its first prompt, a single text as the query is one: an ensemble of prompts
 * is a smoother vector that scores lower against a single text, and then rejected less, 'a cat' on 8 against 47
 * of the dev photos with tiny-clip-gap), and a plain backdrop of each basic colour. Embedded once per pack with
 * the calibration ([Note: model calibration]), so they cost a query nothing.
 */
export function settingTexts(): string[] {
  const settings = loadVocabularyFile(DEFAULT_VOCABULARY_FILE).tags.filter((t) => t.path.length >= 2 && SETTING_GROUPS.has(t.path.slice(0, -1).join('>')));
  return [...new Set(settings.map((t) => t.prompts[0]!)), ...BACKDROP_TEXTS];
}

/** A plain backdrop of each basic colour: where a photo with no setting was taken. The last of settingTexts(). */
export const BACKDROP_TEXTS: readonly string[] = CLOSED_CLASSES[0]!.map((c) => `a plain ${c.split('|')[0]!} background`);

/** The word or its regular plural ("circles", "crosses") as a whole word. */
/**
 * The pattern of a word (and its plural) as a whole word. Built once per spelling: a query tests every member of
 * every class, several times over (its classes, its substitutions), and compiling ~150 Unicode patterns each
 * time cost a cold search 30-50 ms. Not global, so `test` keeps no state between calls.
 */
function wordPattern(spelling: string): RegExp {
  let pattern = wordPatterns.get(spelling);
  if (!pattern) {
    pattern = new RegExp(`(^|[^\\p{L}])${escape(spelling)}(s|es)?(?=$|[^\\p{L}])`, 'iu');
    wordPatterns.set(spelling, pattern);
  }
  return pattern;
}
const wordPatterns = new Map<string, RegExp>();

/** The runs of letters of a (lower-cased) text. */
function wordsOf(lower: string): ReadonlySet<string> {
  return new Set(lower.match(/\p{L}+/gu) ?? []);
}

/**
 * Whether the text names the spelling as a whole word (wordPattern). Tested on the text's runs of letters first:
 * the pattern can only match where each run of letters of the spelling is a whole run of the text (the last one
 * maybe with its plural ending), so most of the ~150 spellings are ruled out by a set lookup, and their
 * patterns are neither compiled nor run (the patterns alone took 20-40 ms of a cold search).
 */
function names(lower: string, words: ReadonlySet<string>, spelling: string): boolean {
  let runs = spellingRuns.get(spelling);
  if (!runs) spellingRuns.set(spelling, (runs = spelling.toLowerCase().match(/\p{L}+/gu) ?? []));
  const last = runs.length - 1;
  const possible = runs.every((run, i) => words.has(run) || (i === last && (words.has(`${run}s`) || words.has(`${run}es`))));
  return possible && wordPattern(spelling).test(lower);
}
const spellingRuns = new Map<string, string[]>();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A one-word change: `replace` applies it to any text holding the word. */
export interface Substitution {
  word: string;
  to: string;
  /** Extra log-odds the changed text needs to reject the original (0, or CO_OCCURRING_ALLOWANCE). */
  allowance: number;
  /** The text with the word replaced, or undefined when the text does not hold it. */
  replace(text: string): string | undefined;
}

/**
 * [Note: coherent alternatives]
 * Every one-word change of a text into another member of the word's class (see [Note: contrast prompts]), but
 * only changes that still describe one possible photo:
 * - never into a word the text already names: "boats on a lake at lake" (from "… at sunset") is the query with
 *   a word dropped, not a rival description of the photo;
 * - never into another group of the class that the text already names a member of: in "boats on a lake at
 *   sunset", "lake" changes into the other places and "sunset" into the other times of day, and "boats on a
 *   night at sunset" (a place made into a second time of day) is neither; the times of day it would stand for
 *   are already the alternatives of "sunset".
 * Each dropped text was one more pass through the text tower for a description no photo fits, and could only
 * reject the query by chance. "boats on a lake at sunset" had 58 one-word changes (48 after MAX_CONTRASTS, which
 * cut half its subjects), 20 of them such; it now has 38, every subject among them. On the dev set no default
 * result changed (docs/benchmarks.md, Issue 13, fourth session).
 */
export function substitutions(text: string): Substitution[] {
  const out: Substitution[] = [];
  const lower = text.toLowerCase();
  const words = wordsOf(lower);
  const named = (m: Member) => m.spellings.some((s) => names(lower, words, s));
  for (const { members } of wordClasses()) {
    const present = members.filter(named);
    if (present.length === 0) continue;
    const namedGroups = new Set(present.map((m) => m.group));
    for (const member of present) {
      for (const spelling of member.spellings) {
        // The word or its regular plural ("circles", "crosses"), which becomes the other word's plural.
        if (!names(lower, words, spelling)) continue;
        const re = wordPattern(spelling);
        for (const other of members) {
          if (other === member || present.includes(other)) continue;
          if (other.group !== member.group && namedGroups.has(other.group)) continue;
          const to = other.spellings[0]!;
          const allowance = other.group === member.group ? 0 : CO_OCCURRING_ALLOWANCE;
          const plural = /(s|x|z|ch|sh)$/.test(to) ? `${to}es` : `${to}s`;
          const replace = (t: string) => (re.test(t) ? t.toLowerCase().replace(re, (_m, before: string, suffix?: string) => `${before}${suffix ? plural : to}`) : undefined);
          out.push({ word: spelling, to, allowance, replace });
        }
      }
    }
  }
  return out;
}

export interface Contrast {
  text: string;
  /** Extra log-odds it needs to reject the query (see CO_OCCURRING_ALLOWANCE). */
  allowance: number;
}

/** The query's alternatives: the query with one word replaced by another of its kind, and the generic texts. */
export function contrastsFor(query: string): Contrast[] {
  const lower = query.toLowerCase();
  const out = new Map<string, number>();
  for (const sub of substitutions(lower)) {
    const text = sub.replace(lower)!;
    if (text !== lower) out.set(text, Math.min(out.get(text) ?? Infinity, sub.allowance));
  }
  const list = [...out].slice(0, MAX_CONTRASTS).map(([text, allowance]) => ({ text, allowance }));
  return [...list, ...GENERIC_CONTRASTS.map((text) => ({ text, allowance: 0 }))];
}

