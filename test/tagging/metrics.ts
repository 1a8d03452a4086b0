/** Precision, recall and F1 of a decision set against the truth, and the best F1 a hindsight threshold gets. */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

export const f1 = (c: Counts) => (c.tp === 0 ? 0 : (2 * c.tp) / (2 * c.tp + c.fp + c.fn));
export const precision = (c: Counts) => (c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp));
export const recall = (c: Counts) => (c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn));

export function count(decided: readonly boolean[], truth: readonly boolean[]): Counts {
  const c = { tp: 0, fp: 0, fn: 0 };
  decided.forEach((d, i) => {
    if (d && truth[i]) c.tp++;
    else if (d) c.fp++;
    else if (truth[i]) c.fn++;
  });
  return c;
}

export function add(a: Counts, b: Counts): Counts {
  return { tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn };
}

/**
 * The counts of the threshold on `scores` that maximises this tag's F1, chosen knowing the truth: the
 * ceiling a per-tag cut-off could reach on these scores. A tag no photo shows is best with no photo (no
 * false positives).
 */
export function hindsight(scores: readonly number[], truth: readonly boolean[]): Counts {
  let best = count(scores.map(() => false), truth);
  for (const threshold of new Set(scores)) {
    const c = count(scores.map((s) => s >= threshold), truth);
    if (f1(c) > f1(best)) best = c;
  }
  return best;
}
