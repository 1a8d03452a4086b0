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

/** Texts that describe any picture at all. */
export const GENERIC_CONTRASTS: readonly string[] = ['a photo', 'a picture', 'an image', 'a photo of something'];

/**
 * At most this many alternatives per query: each is one more text through the text tower (about 1 ms with a
 * small model, 5-10 ms with ViT-B/32 on a CPU), and beyond a few dozen the strongest one rarely changes.
 */
export const MAX_CONTRASTS = 48;

interface WordClass {
  /** Each member's spellings, the first being the one substituted in. */
  members: string[][];
}

let classes: WordClass[] | undefined;
/**
 * The vocabulary's groups that describe the setting (where and when: "Scene", "Light", "Weather", "Season")
 * form one class: "the night sky" and "a sunset" answer the same question about a photo, and a contrast only
 * within "Light" ("the sunrise sky") lets any dark picture pass for night. A photo that truly is both (a
 * sunset over a beach) splits the model's belief between the two, which MATCH_LOG_ODDS allows for.
 */
const SETTING_GROUPS = new Set(['Scene', 'Light']);

function wordClasses(): WordClass[] {
  if (classes) return classes;
  const groups = new Map<string, string[][]>();
  for (const tag of loadVocabularyFile(DEFAULT_VOCABULARY_FILE).tags) {
    if (tag.path.length < 2) continue;
    const outer = tag.path.slice(0, -1).join('>');
    const group = SETTING_GROUPS.has(outer) ? 'setting' : outer;
    const list = groups.get(group) ?? [];
    list.push([tag.name.toLowerCase()]);
    groups.set(group, list);
  }
  classes = [...CLOSED_CLASSES.map((c) => ({ members: c.map((m) => m.split('|')) })), ...[...groups.values()].map((members) => ({ members }))];
  return classes;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The query's alternatives: the query with one word replaced by another of its kind, or the generic texts. */
export function contrastsFor(query: string): string[] {
  const out = new Set<string>();
  const lower = query.toLowerCase();
  for (const { members } of wordClasses()) {
    for (const spellings of members) {
      for (const spelling of spellings) {
        const re = new RegExp(`(^|[^\\p{L}])${escape(spelling)}(?=$|[^\\p{L}])`, 'iu');
        if (!re.test(lower)) continue;
        for (const other of members) if (other !== spellings) out.add(lower.replace(re, `$1${other[0]!}`));
      }
    }
  }
  out.delete(lower);
  const list = [...out];
  return [...list.slice(0, MAX_CONTRASTS), ...GENERIC_CONTRASTS];
}

