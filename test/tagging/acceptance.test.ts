import { describe, expect, it } from 'vitest';
import { ACCEPTANCE, acceptTags, scoreTags } from '../../app/tagging/acceptance.js';
import { l2Normalize } from '../../app/util/vector.js';

const v = (...xs: number[]) => l2Normalize(Float32Array.from(xs));

/** The rule of [Note: tag acceptance] on small hand-made libraries where the right answer is plain. */
describe('tag acceptance rule', () => {
  // Tags along axes 0 and 1 are siblings ("Scene"); axis 2 is a tag alone in its group.
  const tags = [v(1, 0, 0, 0), v(0, 1, 0, 0), v(0, 0, 1, 0)];
  const groups = [[0, 1], [2]];
  // 40 photos of nothing in particular (mostly axis 3, a little noise), then the photos under test.
  const crowd = Array.from({ length: 40 }, (_, i) => v(0.3 + 0.05 * Math.sin(i), 0.3 + 0.05 * Math.cos(i), 0.05 * Math.sin(2 * i), 1));
  const decided = (photos: Float32Array[]) =>
    acceptTags(scoreTags([...crowd, ...photos], tags, groups, 100))
      .filter((a) => a.photoIndex >= crowd.length)
      .map((a) => [a.photoIndex - crowd.length, a.tagIndex]);

  it('accepts a tag the photo stands out on and wins among its siblings, not its sibling', () => {
    expect(decided([v(1, 0.1, 0, 0.3)])).toEqual([[0, 0]]);
  });

  it('accepts a tag alone in its group only when the photo stands out, since p is always 1 there', () => {
    expect(decided([v(0, 0, 1, 0.3)])).toEqual([[0, 2]]);
    expect(decided([v(0.3, 0.3, 0.06, 1)])).toEqual([]);
  });

  it('gives nothing of a group to a photo clearly below the typical photo in that whole group', () => {
    // Winning among siblings (p ≈ 1 for tag 0) is not enough when the group's best score is far below typical.
    const scores = scoreTags([...crowd, v(-0.2, -0.5, 0, 1)], tags, groups, 100);
    const last = crowd.length;
    expect(scores.p[last]![0]).toBeGreaterThan(ACCEPTANCE.DECISIVE_P);
    expect(scores.groupZ[last]![0]).toBeLessThan(ACCEPTANCE.GROUP_MIN_Z);
    expect(acceptTags(scores).filter((a) => a.photoIndex === last)).toEqual([]);
  });

  it('keeps at most the cap of tags per photo, the most confident first', () => {
    const rule = { ...ACCEPTANCE, MAX_TAGS_PER_PHOTO: 1 };
    const accepted = acceptTags(scoreTags([...crowd, v(1, 0, 1, 0.2)], tags, groups, 100), rule).filter((a) => a.photoIndex === crowd.length);
    expect(accepted).toHaveLength(1);
    expect(acceptTags(scoreTags([...crowd, v(1, 0, 1, 0.2)], tags, groups, 100)).filter((a) => a.photoIndex === crowd.length)).toHaveLength(2);
  });
});
