import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelPack } from '../../app/model/load-pack.js';
import { prestartTokenizer, tokenizeInWorker } from '../../app/model/tokenize-in-worker.js';
import { ClipTokenizer } from '../../app/model/tokenizer.js';
import { DIGEST_FILE, readTokenizerDigest } from '../../app/model/tokenizer-digest.js';
import { settingTexts } from '../../app/search/contrasts.js';
import { queryTexts } from '../../app/search/query-texts.js';
import { DEFAULT_VOCABULARY_FILE, loadVocabularyFile } from '../../app/tagging/default-vocabulary.js';
import { tempDir } from '../helpers/cli.js';
import { TINY_CLIP } from '../helpers/fixtures.js';

/** A copy of tiny-clip (its real CLIP tokenizer.json), so the digest is written into a folder of the test's own. */
function packCopy(): string {
  const dir = tempDir('tok-digest');
  fs.cpSync(TINY_CLIP, dir, { recursive: true });
  fs.rmSync(path.join(dir, DIGEST_FILE), { force: true });
  return dir;
}

const QUERIES = [
  'boats on a lake at sunset',
  'a red circle -night',
  'a beach without people',
  '  Two   YELLOW crosses  ',
  "a 3-year-old's birthday cake!!",
  'the night sky, 2019 (Ibiza) #travel',
  'a photo of a black and white dog at the beach at sunset',
  'x'.repeat(400),
  'qwxz vbnm',
];
// Every text the searches above embed, every prompt of the shipped vocabulary, and the setting texts.
const TEXTS = [
  ...new Set([...QUERIES.flatMap((q) => queryTexts(q)!.texts), ...loadVocabularyFile(DEFAULT_VOCABULARY_FILE).tags.flatMap((t) => t.prompts), ...settingTexts()]),
];

// See [Note: a tokenizer for the texts at hand].
describe('a tokenizer built for the texts at hand', () => {
  it('is written as a digest the first time the whole tokenizer is built, and gives the same ids for those texts', () => {
    const spec = loadModelPack(packCopy()).tokenizer;
    expect(readTokenizerDigest(spec.path)).toBeUndefined();
    const whole = new ClipTokenizer(spec);
    const tables = readTokenizerDigest(spec.path);
    expect(tables?.tokens).toHaveLength(49408);
    expect(tables?.merges.length).toBeGreaterThan(40000);
    const reduced = ClipTokenizer.forTexts(spec, TEXTS);
    // Built from the digest for these texts only: it refuses any other.
    expect(reduced.covers(['a purple hexagon in the fog'])).toBe(false);
    expect(() => reduced.encode('a purple hexagon in the fog')).toThrow(/built for other texts/);
    expect(TEXTS.length).toBeGreaterThan(300);
    for (const text of TEXTS) expect(reduced.encode(text), text).toEqual(whole.encode(text));
    // Texts one word apart from those above get the same ids too when they are what it was built for.
    const more = ['a plain hexagonal backdrop', 'sunsets', 'sunset.', 'SUNSET', 'boat', 'oats', 'ats'];
    const forMore = ClipTokenizer.forTexts(spec, more);
    for (const text of more) expect(forMore.encode(text), text).toEqual(whole.encode(text));
  });

  it('builds the whole tokenizer where the shortcut is not exact by construction, or the digest is stale', () => {
    const spec = loadModelPack(packCopy()).tokenizer;
    const whole = new ClipTokenizer(spec);
    // Not printable ASCII: the whole tokenizer (it takes any text).
    const accented = ClipTokenizer.forTexts(spec, ['café crème', 'a red circle']);
    expect(accented.covers(['anything at all'])).toBe(true);
    expect(accented.encode('café crème')).toEqual(whole.encode('café crème'));
    // A tokenizer.json changed since the digest (another mtime): the digest is not used, and rewritten on the next whole build.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(spec.path, later, later);
    expect(readTokenizerDigest(spec.path)).toBeUndefined();
    expect(ClipTokenizer.forTexts(spec, ['a red circle']).covers(['anything at all'])).toBe(true);
    new ClipTokenizer(spec);
    expect(readTokenizerDigest(spec.path)).toBeDefined();
    // A torn digest is no digest.
    fs.writeFileSync(path.join(path.dirname(spec.path), DIGEST_FILE), '{"format":"shoebox-tokenizer/1","si');
    expect(readTokenizerDigest(spec.path)).toBeUndefined();
    expect(ClipTokenizer.forTexts(spec, ['a red circle']).encode('a red circle')).toEqual(whole.encode('a red circle'));
  });

  it('lets the thread a CLI search starts tokenize the texts it expected, and any others it is sent', async () => {
    const pack = packCopy();
    const spec = loadModelPack(pack).tokenizer;
    const whole = new ClipTokenizer(spec);
    const expected = queryTexts('boats on a lake at sunset')!.texts;
    expect(await (await prestartTokenizer(tempDir('tok-lib'), pack, expected)).built).toBe(spec.path);
    expect(await tokenizeInWorker(spec, expected)).toEqual(expected.map((t) => whole.encode(t)));
    const other = ['a purple hexagon in the fog', ...expected];
    expect(await (await prestartTokenizer(tempDir('tok-lib'), pack, expected)).built).toBe(spec.path);
    expect(await tokenizeInWorker(spec, other)).toEqual(other.map((t) => whole.encode(t)));
  });
});
