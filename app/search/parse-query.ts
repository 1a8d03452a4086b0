/**
 * Splits a search into what to find and what to avoid. CLIP does not understand negation ("a beach without
 * people" scores beach photos *with* people highly), so negated parts are embedded on their own and used to
 * rank matching photos down (see searcher.ts).
 *
 * Accepted forms: `beach -people`, `beach -"red car"`, `a beach without people`, `beach but not people`,
 * `beach except people`, `beach excluding people`. Several negations may follow each other.
 */
export interface ParsedQuery {
  positive: string;
  negatives: string[];
}

const NEGATION_WORDS = /\s+(?:without|but\s+not|except(?:\s+for)?|excluding|minus)\s+/i;

export function parseQuery(raw: string): ParsedQuery {
  const negatives: string[] = [];
  // Minus terms: -word or -"several words", at a word boundary (so "black-and-white" stays whole).
  let text = raw.replace(/(^|\s)-(?:"([^"]+)"|(\S+))/g, (_m, lead: string, quoted?: string, word?: string) => {
    const term = (quoted ?? word ?? '').trim();
    if (term) negatives.push(term);
    return lead;
  });
  const parts = text.split(NEGATION_WORDS);
  text = parts[0] ?? '';
  for (const part of parts.slice(1)) {
    // "without people or cars" / "without people and cars": each is a separate concept to avoid.
    for (const term of part.split(/\s*(?:,|\bor\b|\band\b|\bnor\b)\s*/i)) if (term.trim()) negatives.push(term.trim());
  }
  return { positive: text.replace(/\s+/g, ' ').trim(), negatives };
}
