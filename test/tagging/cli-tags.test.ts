import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { samplesVocabulary } from './samples-vocabulary.js';

interface Tags {
  path: string;
  tags: { name: string; path: string; score: number; source: 'auto' | 'user'; state: string }[];
}

/** The tagging commands' --json contract (README, "Command line"), end to end through the real CLI. */
describe('tagging CLI', () => {
  const library = tempDir('cli-tags-lib');
  const photos = tempDir('cli-tags-photos');
  const vocabulary = path.join(library, '..', `${path.basename(library)}-vocabulary.txt`);
  const args = ['--library', library, '--model', TINY_CLIP];
  const beach = () => path.join(photos, 'sample_024.jpg');

  beforeAll(() => {
    for (const f of fs.readdirSync(SAMPLES_DIR)) if (f.endsWith('.jpg')) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    fs.writeFileSync(vocabulary, samplesVocabulary().text);
    runCliJson(['index', photos, ...args]);
  }, 120_000);

  afterAll(() => {
    fs.rmSync(vocabulary, { force: true });
  });

  it('autotag --vocabulary tags the library and tags <photo> --json lists them', () => {
    const report = runCliJson<{ photos: number; tags: number; suggestions: number; vocabularyHash: string; model: string }>(['autotag', '--vocabulary', vocabulary, ...args]);
    expect(report).toMatchObject({ photos: 96, tags: 91, model: 'tiny-clip-synthetic' });
    expect(report.suggestions).toBeGreaterThan(96);
    const out = runCliJson<Tags>(['tags', path.relative(process.cwd(), beach()), ...args]);
    expect(out.path).toBe(beach());
    expect(out.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['beach', 'sunset']));
    for (const t of out.tags) {
      expect(Object.keys(t).sort()).toEqual(['name', 'path', 'score', 'source', 'state']);
      expect(t.score).toBeGreaterThan(0);
      expect(t.score).toBeLessThanOrEqual(1);
    }
  });

  it('tag --reject removes a tag for good; --add and counts; search --tag filters', () => {
    expect(runCliJson(['tag', beach(), '--reject', 'sunset', ...args])).toEqual({ tag: 'Scene > sunset', decision: 'reject', photos: 1 });
    expect(runCliJson(['tag', photos, '--add', 'Trips > Algarve', ...args])).toEqual({ tag: 'Trips > Algarve', decision: 'add', photos: 96 });
    runCliJson(['autotag', ...args]);
    const tags = runCliJson<Tags>(['tags', beach(), ...args]).tags;
    expect(tags.map((t) => t.path)).not.toContain('Scene > sunset');
    expect(tags.find((t) => t.path === 'Trips > Algarve')).toEqual({ name: 'Algarve', path: 'Trips > Algarve', score: 1, source: 'user', state: 'accepted' });
    const counts = runCliJson<{ tags: { name: string; path: string; photos: number }[] }>(['tags', ...args]).tags;
    expect(counts[0]).toEqual({ name: 'Algarve', path: 'Trips > Algarve', photos: 96 });
    const forests = runCliJson<{ results: { path: string }[] }>(['search', 'a red circle', '--tag', 'forest', '--all', '--limit', '200', ...args]).results;
    const forestCount = counts.find((c) => c.path === 'Scene > forest')!.photos;
    expect(forests.length).toBe(forestCount);
  });

  it('names what is wrong in one line', () => {
    const bad = runCli(['tag', beach(), '--reject', 'no-such-tag', ...args]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('shoebox: no tag "no-such-tag"');
    const usage = runCli(['tag', beach(), ...args]);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toMatch(/usage: tag/);
  });
});
