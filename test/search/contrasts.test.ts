import { describe, expect, it } from 'vitest';
import { BACKDROP_TEXTS, CO_OCCURRING_ALLOWANCE, contrastsFor, GENERIC_CONTRASTS, isSettingOnly, needsSettingContrasts, settingTexts } from '../../app/search/contrasts.js';
import { anchoredRelevance, anchorQuery, MATCH_LOG_ODDS } from '../../app/search/relevance.js';
import { alternativePrompts } from '../../app/tagging/acceptance.js';
import { l2Normalize } from '../../app/util/vector.js';

/** [Note: what every photo shows] on the shipped vocabulary's classes and on hand-made vectors. */
describe('what every photo shows', () => {
  it('holds a query back against the settings only where its own class does not cover every photo', () => {
    // Subjects, events, styles and words of no class: siblings alone cannot reject them.
    for (const q of ['a dog', 'a wedding', 'a screenshot', 'qwxz vbnm', 'a dog and a cat']) expect(needsSettingContrasts(q), q).toBe(true);
    // A colour, a shape or a setting anywhere in the query: every photo shows a member of that class.
    for (const q of ['a red circle', 'a circle', 'a beach', 'the night sky', 'a dog at sunset', 'black and white', 'two red crosses']) expect(needsSettingContrasts(q), q).toBe(false);
  });

  it('gives a text naming only settings the plain backdrops as siblings', () => {
    for (const q of ['sunset', 'a beach', 'sunset over the beach', 'the night sky']) expect(isSettingOnly(q), q).toBe(true);
    for (const q of ['a red circle at sunset', 'a dog', 'qwxz vbnm', 'a circle']) expect(isSettingOnly(q), q).toBe(false);
  });

  it('lists every setting of the vocabulary and a backdrop of each basic colour, the backdrops last', () => {
    const texts = settingTexts();
    expect(texts).toEqual(expect.arrayContaining(['a photo of a beach', 'a photo of a sunset', 'a photo taken at night']));
    expect(texts.slice(-BACKDROP_TEXTS.length)).toEqual([...BACKDROP_TEXTS]);
    expect(BACKDROP_TEXTS).toHaveLength(11);
    expect(BACKDROP_TEXTS).toContain('a plain gray background');
  });

  it('keeps one generic text per meaning among every query\'s alternatives', () => {
    expect(contrastsFor('a red circle').slice(-GENERIC_CONTRASTS.length).map((c) => c.text)).toEqual([...GENERIC_CONTRASTS]);
    expect(new Set(GENERIC_CONTRASTS).size).toBe(GENERIC_CONTRASTS.length);
  });

  it('offers only alternatives that describe one possible photo ([Note: coherent alternatives])', () => {
    const texts = contrastsFor('boats on a lake at sunset').map((c) => c.text);
    // Each place for the place, each time of day for the time, each subject for the boats.
    expect(texts).toEqual(expect.arrayContaining(['boats on a beach at sunset', 'boats on a lake at night', 'dogs on a lake at sunset']));
    // Never the query with a word dropped, and never a second time of day in the place's slot.
    for (const t of ['boats on a lake at lake', 'boats on a sunset at sunset', 'boats on a night at sunset', 'boats on a lake at beach']) expect(texts).not.toContain(t);
    expect(texts).toHaveLength(13 + 5 + 20 + GENERIC_CONTRASTS.length);
    // A single setting still meets the other group's members: "a photo of snow" may be a forest or a night.
    expect(contrastsFor('snow').map((c) => c.text)).toEqual(expect.arrayContaining(['forest', 'night']));
    // "black and white" (two colours) never becomes "white and white".
    expect(contrastsFor('black and white').map((c) => c.text)).not.toContain('white and white');
  });

  it('rejects "a dog" where the photo is clearly its setting, but a setting query is judged by its siblings', () => {
    // Axis 0: a beach; 1: the vector an unknown word happens to get; 2, 3: other settings; 4: backdrops; 5: the gap.
    const v = (...xs: number[]) => l2Normalize(Float32Array.from(xs));
    const settings = [...settingTexts().slice(0, -BACKDROP_TEXTS.length).map((_, i) => (i === 0 ? v(1, 0, 0, 0, 0, 1) : v(0, 0, 1, i % 2, 0, 1))), ...BACKDROP_TEXTS.map(() => v(0, 0, 0, 0, 1, 1))];
    const calibration = { imageMean: v(0, 0, 0, 0, 0, 1), textMean: v(0, 0, 0, 0, 0, 1), gap: v(0, 0, 0, 0, 0, 1), logitScale: 20, settings };
    // A beach photo that leans a little towards the unknown word's direction too.
    const photo = v(1, 0.45, 0, 0, 0, 2);
    const dog = v(0, 1, 0, 0, 0, 1);
    const siblings = [v(0, 0, 0, 1, 0, 1), v(0.1, 0.1, 1, 0, 0, 1)];
    const generic = [v(0.1, 0.1, 0.3, 0.3, 0.3, 1)];
    const alternatives = [...siblings, ...generic];
    // Against its siblings and the generic text alone the unknown word wins on this photo.
    expect(anchoredRelevance(photo, anchorQuery(dog, alternatives, calibration))).toBeGreaterThanOrEqual(MATCH_LOG_ODDS);
    // "A photo of a beach" is far more than 4 : 1 the better description: not a match.
    expect(anchoredRelevance(photo, anchorQuery(dog, alternatives, calibration, [], 'a dog'))).toBeLessThan(MATCH_LOG_ODDS);
    // The same vector as a colour query ("a red circle" names an exhaustive class) keeps its siblings only.
    expect(anchoredRelevance(photo, anchorQuery(dog, alternatives, calibration, [], 'a red circle'))).toBeGreaterThanOrEqual(MATCH_LOG_ODDS);
  });

  it('gives tags the same alternatives: settings for a subject at the co-occurring allowance, backdrops for a setting', () => {
    const dog = alternativePrompts({ name: 'Dog', prompts: ['a photo of a dog'] });
    expect(dog).toContainEqual({ prompts: ['a photo of a beach'], allowance: CO_OCCURRING_ALLOWANCE });
    expect(dog).toContainEqual({ prompts: ['a plain pink background'], allowance: CO_OCCURRING_ALLOWANCE });
    const sunset = alternativePrompts({ name: 'sunset', prompts: ['a sunset'] });
    expect(sunset).toContainEqual({ prompts: ['a plain pink background'], allowance: 0 });
    expect(sunset).not.toContainEqual({ prompts: ['a photo of a beach'], allowance: CO_OCCURRING_ALLOWANCE });
    const circle = alternativePrompts({ name: 'red circle', prompts: ['a red circle'] });
    expect(circle.flatMap((a) => a.prompts)).not.toContain('a plain pink background');
  });
});
