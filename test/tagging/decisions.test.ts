import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { parseVocabulary } from '../../app/tagging/vocabulary.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';
import { samplesVocabulary } from './samples-vocabulary.js';

/** The user stays in charge: decisions survive re-tagging, which runs when the vocabulary changes. */
describe('tag decisions and re-tagging (Core, real model and catalog)', () => {
  const library = tempDir('tag-decisions-lib');
  const photos = tempDir('tag-decisions-photos');
  let core: Core;
  const at = (file: string) => path.join(photos, file);
  const rowsOf = (file: string) => core.catalog.tags.ofPhoto(core.catalog.photos.byPath(at(file))!.id);

  beforeAll(async () => {
    for (const f of fs.readdirSync(SAMPLES_DIR)) if (f.endsWith('.jpg')) fs.copyFileSync(path.join(SAMPLES_DIR, f), at(f));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    await core.index([photos]);
    await core.autotag({ vocabulary: parseVocabulary(samplesVocabulary().text) });
  }, 120_000);

  afterAll(async () => {
    await core?.close();
  });

  it('keeps rejected, accepted, pinned and added tags through a re-tagging run', async () => {
    // sample_024 is "a large black heart on the beach at sunset".
    const suggested = core.tagsOf(at('sample_024.jpg')).filter((t) => t.source === 'auto' && t.state === 'suggested');
    expect(suggested.map((t) => t.path)).toEqual(expect.arrayContaining(['Scene > beach', 'Scene > sunset']));
    core.setTagDecision([at('sample_024.jpg')], 'Scene > sunset', 'reject');
    core.setTagDecision([at('sample_024.jpg')], 'beach', 'accept');
    core.setTagDecision([at('sample_024.jpg')], 'Scene > forest', 'pin');
    const added = core.setTagDecision([photos], 'Events > Holiday', 'add');
    expect(added).toEqual({ photos: 96, tag: 'Events > Holiday' });
    expect(core.tagsOf(at('sample_024.jpg')).map((t) => t.path)).not.toContain('Scene > sunset');

    // A changed vocabulary makes the library's tags stale; re-tagging runs in the background.
    await core.autotag({ vocabulary: parseVocabulary(`${samplesVocabulary().text}Scene > desert: a desert; sand dunes\n`) });
    await core.retagInBackground();
    const rows = new Map(rowsOf('sample_024.jpg').map((r) => [r.key, r]));
    expect(rows.get('Scene > sunset')).toMatchObject({ state: 'rejected', source: 'auto' });
    expect(rows.get('Scene > beach')).toMatchObject({ state: 'accepted', source: 'auto' });
    expect(rows.get('Scene > forest')).toMatchObject({ state: 'pinned', source: 'user' });
    expect(rows.get('Events > Holiday')).toMatchObject({ state: 'accepted', source: 'user', score: 1 });
    expect(core.tagsOf(at('sample_024.jpg')).map((t) => t.path)).not.toContain('Scene > sunset');
    expect(core.tagCounts().find((c) => c.key === 'Events > Holiday')?.photos).toBe(96);
  }, 60_000);

  it('re-tags in the background only when the vocabulary changed since the last run', async () => {
    expect(await core.tagsAreStale()).toBe(false);
    core.defineTag('Shape > blob', ['a blob']);
    expect(await core.tagsAreStale()).toBe(true);
    await core.retagInBackground();
    expect(await core.tagsAreStale()).toBe(false);
    // The last run's model is kept with it: tags made by another model are stale too.
    const run = JSON.parse(core.catalog.settings.get('tagging.last_run')!) as { modelKey: string };
    core.catalog.settings.set('tagging.last_run', JSON.stringify({ ...run, modelKey: 'another-model' }));
    expect(await core.tagsAreStale()).toBe(true);
    await core.retagInBackground();
    expect(JSON.parse(core.catalog.settings.get('tagging.last_run')!)).toEqual(run);
  }, 60_000);

  it('restricts search to a tag, including the tags below it', async () => {
    const beaches = new Set(core.catalog.tags.photoIdsWith([core.catalog.tags.byKey('Scene > beach')!.id]));
    const results = await core.search('a red circle', { tag: 'beach', all: true, limit: 200 });
    expect(results.length).toBe(beaches.size);
    expect(results.every((r) => beaches.has(r.photoId))).toBe(true);
    const scenes = await core.search('a red circle', { tag: 'Scene', all: true, limit: 200 });
    expect(scenes.length).toBeGreaterThan(results.length);
    await expect(core.search('a red circle', { tag: 'no such tag' })).rejects.toThrow(/no tag "no such tag"/);
  });

  it('hides the photos of hidden tag groups, but not for a rejected tag', () => {
    expect(core.hiddenPhotoIds()).toEqual([]);
    core.setHiddenTagGroups(['Scene']);
    const scenes = core.catalog.tags.photoIdsWith(core.catalog.tags.withDescendants('Scene').map((t) => t.id));
    expect(core.hiddenPhotoIds()).toEqual(scenes);
    const night = core.catalog.tags.photoIdsWith([core.catalog.tags.byKey('Scene > night')!.id]);
    core.setHiddenTagGroups(['Scene > night']);
    expect(core.hiddenPhotoIds()).toEqual(night);
    const first = core.catalog.photos.byId(night[0]!)!.path;
    core.setTagDecision([first], 'Scene > night', 'reject');
    expect(core.hiddenPhotoIds()).toEqual(night.slice(1));
  });

  it('tags photos indexed later in the background', async () => {
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_024.jpg'), at('later.jpg'));
    await core.index([photos]);
    await core.whenTaggingIdle(); // the run indexing started
    expect(core.tagsOf(at('later.jpg')).map((t) => t.path)).toContain('Scene > beach');
  }, 60_000);

  it('drops a removed photo\'s tags with it', () => {
    const id = core.catalog.photos.byPath(at('sample_000.jpg'))!.id;
    expect(core.catalog.tags.ofPhoto(id).length).toBeGreaterThan(0);
    core.catalog.removePhoto(id);
    expect(core.catalog.tags.ofPhoto(id)).toEqual([]);
  });
});
