import { contrastsFor, type Contrast } from './contrasts.js';
import { parseQuery } from './parse-query.js';

/** A text search's texts: its terms (what to find, then what to avoid), each term's alternatives, all of them. */
export interface QueryTexts {
  terms: string[];
  alternatives: Contrast[][];
  /** Every text the search embeds: the terms, then each term's alternatives in order. */
  texts: string[];
}

/**
 * What a text search embeds ([Note: contrast prompts]), from the query alone: the searcher embeds these, and a
 * CLI search hands them to its tokenizer thread before the core is loaded ([Note: a tokenizer for the texts at
 * hand]). Undefined for a query with nothing to find.
 */
export function queryTexts(query: string): QueryTexts | undefined {
  const parsed = parseQuery(query);
  if (!parsed.positive) return undefined;
  const terms = [parsed.positive, ...parsed.negatives];
  const alternatives = terms.map((t) => contrastsFor(t));
  return { terms, alternatives, texts: [...terms, ...alternatives.flat().map((a) => a.text)] };
}
