import { describe, expect, it } from 'vitest';
import { CO_OCCURRING_ALLOWANCE } from '../../app/search/contrasts.js';
import { ACCEPTANCE, acceptTags, alternativePrompts, scoreTags, type TagAlternatives } from '../../app/tagging/acceptance.js';
import { l2Normalize } from '../../app/util/vector.js';

const v = (...xs: number[]) => l2Normalize(Float32Array.from(xs));

/**
 * The rule of [Note: tag acceptance] on hand-made vectors where the right answer is plain. Axis 5 plays the
 * modality gap (every photo and text leans on it, as CLIP's cones do); the calibration removes it.
 */
describe('tag acceptance rule', () => {
  // Tags: 0 "beach" and 1 "forest" (alternatives of each other), 2 "circle" (its alternative: a square, axis 3).
  const tags = [v(1, 0, 0, 0, 0, 1), v(0, 1, 0, 0, 0, 1), v(0, 0, 1, 0, 0, 1)];
  const square = v(0, 0, 0, 1, 0, 1);
  const generic = v(0.3, 0.3, 0.3, 0.3, 1, 1);
  const alternatives: TagAlternatives = {
    vectors: [tags[1]!, tags[0]!, square, generic],
    of: [
      [{ index: 0, allowance: 0 }, { index: 3, allowance: 0 }],
      [{ index: 1, allowance: 0 }, { index: 3, allowance: 0 }],
      [{ index: 2, allowance: 0 }, { index: 3, allowance: 0 }],
    ],
  };
  const calibration = { gap: v(0, 0, 0, 0, 0, 1), logitScale: 20 };
  const decided = (photos: Float32Array[], alts = alternatives) => acceptTags(scoreTags(photos, tags, alts, calibration)).map((a) => [a.photoIndex, a.tagIndex]);

  it('accepts the tag a photo shows, not its alternative', () => {
    expect(decided([v(1, 0.1, 0, 0, 0.2, 2)])).toEqual([[0, 0]]);
    expect(decided([v(0.1, 1, 0, 0, 0.2, 2)])).toEqual([[0, 1]]);
  });

  it('gives a photo of nothing in particular no tag, however high its raw cosines (the shared gap axis)', () => {
    expect(decided([v(0.3, 0.3, 0.3, 0.3, 1, 3)])).toEqual([]);
  });

  it('lets tags of different kinds both hold: a beach with a circle on it', () => {
    expect(decided([v(1, 0, 1, 0, 0.2, 2)])).toEqual([
      [0, 0],
      [0, 2],
    ]);
  });

  it('decides each photo alone: a thousand other photos, however alike, change nothing', () => {
    const photo = v(1, 0.1, 0, 0, 0.2, 2);
    const others = Array.from({ length: 1000 }, (_, i) => v(1, 0.05 * Math.sin(i), 0.05 * Math.cos(i), 0, 0.2, 2));
    const alone = decided([photo]);
    const crowded = decided([photo, ...others]).filter(([i]) => i === 0);
    expect(crowded).toEqual(alone);
    // Every one of the look-alikes is a beach too: a tag most of the library shows is still accepted.
    expect(decided(others).filter(([, j]) => j === 0)).toHaveLength(1000);
  });

  it('needs an alternative of another group to win clearly (CO_OCCURRING_ALLOWANCE) before it rejects the tag', () => {
    // A photo slightly more forest than beach: with "forest" in the beach's own group it rejects the beach;
    // from another group (a sunset with a beach), only at odds beyond the allowance.
    const photo = v(1, 1.06, 0, 0, 0.2, 2);
    const lenient: TagAlternatives = { ...alternatives, of: alternatives.of.map((row, j) => (j === 0 ? row.map((a) => (a.index === 0 ? { ...a, allowance: CO_OCCURRING_ALLOWANCE } : a)) : row)) };
    expect(decided([photo]).map(([, j]) => j)).not.toContain(0);
    expect(decided([photo], lenient).map(([, j]) => j)).toContain(0);
  });

  it('keeps at most the cap of tags per photo, the most confident first', () => {
    // A beach with a circle, the circle the plainer of the two.
    const scores = scoreTags([v(0.7, 0, 1, 0, 0.2, 2)], tags, alternatives, calibration);
    expect(acceptTags(scores)).toHaveLength(2);
    const accepted = acceptTags(scores, { ...ACCEPTANCE, MAX_TAGS_PER_PHOTO: 1 });
    expect(accepted.map((a) => a.tagIndex)).toEqual([2]);
    expect(accepted[0]!.score).toBeGreaterThan(0.5);
  });
});

describe('tag alternatives', () => {
  it('change one word of the tag in every prompt that holds it, and add the generic texts', () => {
    const alts = alternativePrompts({ name: 'red circle', prompts: ['a red circle', 'a photo of a red circle', 'red circle'] });
    const texts = alts.map((a) => a.prompts);
    expect(texts).toContainEqual(['a blue circle', 'a photo of a blue circle', 'blue circle']);
    expect(texts).toContainEqual(['a red square', 'a photo of a red square', 'red square']);
    expect(texts).toContainEqual(['a photo']);
    expect(texts.flat()).not.toContain('a red circle');
  });

  it('change a plural into the other word\'s plural', () => {
    const texts = alternativePrompts({ name: 'red circles', prompts: ['two red circles'] }).map((a) => a.prompts[0]);
    expect(texts).toEqual(expect.arrayContaining(['two blue circles', 'two red squares', 'two red crosses']));
  });

  it('depend on the tag alone, not on where a vocabulary file puts it', () => {
    // A flat file ("beach") and a hierarchical one ("Scene > beach") give the tagger the same name and prompts.
    const flat = alternativePrompts({ name: 'beach', prompts: ['a beach', 'a sandy beach'] });
    expect(alternativePrompts({ name: 'beach', prompts: ['a beach', 'a sandy beach'] })).toEqual(flat);
    const forest = flat.find((a) => a.prompts[0] === 'a forest')!;
    const sunset = flat.find((a) => a.prompts[0] === 'a sunset')!;
    // Scenes of one group exclude each other; a time of day (the vocabulary's "Light") may hold with a place.
    expect(forest.allowance).toBe(0);
    expect(sunset.allowance).toBe(CO_OCCURRING_ALLOWANCE);
  });
});
