import { describe, expect, it } from 'vitest';
import { loadVocabularyFile, DEFAULT_VOCABULARY_FILE } from '../../app/tagging/default-vocabulary.js';
import { defaultPrompts, parseVocabulary, siblingGroups, splitTagPath } from '../../app/tagging/vocabulary.js';

describe('vocabulary files', () => {
  it('reads tags, hierarchy, own prompts and comments', () => {
    const v = parseVocabulary(`# a comment
Nature > Beach: a sandy beach; the sea shore
Nature > Forest
dog   # trailing comment

`);
    expect(v.tags).toEqual([
      { name: 'Beach', path: ['Nature', 'Beach'], prompts: ['a sandy beach', 'the sea shore'] },
      { name: 'Forest', path: ['Nature', 'Forest'], prompts: defaultPrompts('Forest') },
      { name: 'dog', path: ['dog'], prompts: defaultPrompts('dog') },
    ]);
    expect(defaultPrompts('owl')).toEqual(['a photo of an owl', 'a picture of an owl', 'an image of an owl', 'owl']);
    expect(defaultPrompts('mountains')[0]).toBe('a photo of mountains');
  });

  it('changes its hash when a prompt changes, not when comments do', () => {
    const a = parseVocabulary('A > b: one');
    expect(parseVocabulary('# note\nA > b: one').hash).toBe(a.hash);
    expect(parseVocabulary('A > b: two').hash).not.toBe(a.hash);
  });

  it('names the line of a duplicate or empty tag', () => {
    expect(() => parseVocabulary('x\nX')).toThrow(/line 2: "X" is listed twice/);
    expect(() => parseVocabulary('a\n > : p')).toThrow(/line 2: no tag name/);
    expect(() => parseVocabulary('# nothing')).toThrow(/has no tags/);
  });

  it('groups siblings by parent and reads Lightroom paths', () => {
    const v = parseVocabulary('A > x\nA > y\nB > z\nw');
    expect(siblingGroups(v.tags).map((g) => g.map((t) => t.name))).toEqual([['x', 'y'], ['z'], ['w']]);
    expect(splitTagPath('Nature|Beach')).toEqual(['Nature', 'Beach']);
  });

  it('ships a default vocabulary covering the photographer groups of the issue', () => {
    const v = loadVocabularyFile(DEFAULT_VOCABULARY_FILE);
    const groups = new Set(v.tags.map((t) => t.path[0]));
    for (const g of ['Scene', 'Subject', 'Light', 'Weather', 'Season', 'Event', 'Style', 'Not a photo', 'Sensitive']) expect(groups).toContain(g);
    expect(v.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['Beach', 'Golden hour', 'Black and white', 'Screenshot', 'Receipt', 'Wedding']));
    expect(v.tags.every((t) => t.prompts.length >= 1)).toBe(true);
  });
});
