import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { readKeywords, readSidecar } from '../../app/tagging/xmp-read.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

/** The real exiftool (Debian libimage-exiftool-perl, installed by .ci/run). */
function exiftool(args: string[]): string {
  return execFileSync('exiftool', args, { encoding: 'utf8' });
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * Interchange: keywords photos already carry (embedded XMP/IPTC, .xmp sidecars) become user tags at ingest;
 * accepted tags go to .xmp sidecars only when the user turns that on; originals never change.
 */
describe('keywords in, sidecars out', () => {
  const library = tempDir('sidecar-lib');
  const photos = tempDir('sidecar-photos');
  const at = (f: string) => path.join(photos, f);
  let core: Core;
  const before = new Map<string, string>();

  beforeAll(async () => {
    for (const f of ['sample_010.jpg', 'sample_011.jpg', 'sample_012.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, f), at(f));
    // Keywords as Lightroom and other tools leave them: embedded XMP + IPTC in one photo, a sidecar of
    // another program next to a second one.
    exiftool(['-q', '-overwrite_original', '-XMP-dc:Subject=Holiday', '-XMP-dc:Subject=Lisbon', '-XMP-lr:HierarchicalSubject=Places|Lisbon', '-IPTC:Keywords=Family', at('sample_011.jpg')]);
    exiftool(['-q', '-o', at('sample_012.xmp'), '-XMP-dc:Subject=Friends', '-XMP-dc:Rights=someone else', at('sample_012.jpg')]);
    for (const f of fs.readdirSync(photos)) before.set(f, sha(at(f)));
    core = Core.open({ libraryDir: library, modelDir: TINY_CLIP });
    await core.index([photos]);
  }, 60_000);

  afterAll(async () => {
    await core?.close();
  });

  it('reads embedded XMP, IPTC and sidecar keywords at ingest as user tags', async () => {
    expect(await readKeywords(at('sample_011.jpg'))).toEqual([['Places', 'Lisbon'], ['Holiday'], ['Family']]);
    const tags = (file: string) => core.tagsOf(at(file)).map((t) => `${t.path}/${t.source}/${t.state}`).sort();
    expect(tags('sample_011.jpg')).toEqual(['Family/user/accepted', 'Holiday/user/accepted', 'Places > Lisbon/user/accepted']);
    expect(tags('sample_012.jpg')).toEqual(['Friends/user/accepted']);
    expect(tags('sample_010.jpg')).toEqual([]);
  });

  it('writes no sidecar until the user turns it on', () => {
    core.setTagDecision([at('sample_010.jpg')], 'Nature > Beach & Sea', 'add');
    expect(fs.existsSync(at('sample_010.xmp'))).toBe(false);
    expect(fs.existsSync(at('sample_011.xmp'))).toBe(false);
  });

  it('writes valid XMP that exiftool and our reader read back, and leaves foreign sidecars and originals alone', async () => {
    const report = core.setSidecars(true)!;
    expect(report.written).toBe(2);
    expect(report.skipped).toEqual([at('sample_012.jpg')]);
    core.setTagDecision([at('sample_011.jpg')], 'Holiday', 'reject');

    const read = JSON.parse(exiftool(['-j', '-G1', '-XMP-dc:Subject', '-XMP-lr:HierarchicalSubject', '-XMP-xmp:CreatorTool', at('sample_010.xmp'), at('sample_011.xmp')])) as Record<string, unknown>[];
    expect(read[0]).toMatchObject({ 'XMP-dc:Subject': ['Beach & Sea', 'Nature'], 'XMP-lr:HierarchicalSubject': 'Nature|Beach & Sea', 'XMP-xmp:CreatorTool': 'Shoebox' });
    // The rejected keyword is gone from the sidecar; the others travel with their hierarchy.
    expect(read[1]).toMatchObject({ 'XMP-dc:Subject': ['Family', 'Lisbon', 'Places'], 'XMP-lr:HierarchicalSubject': ['Family', 'Places|Lisbon'] });
    // exiftool reports no warning for a well-formed packet.
    expect(exiftool(['-validate', '-warning', '-a', '-s', at('sample_010.xmp')])).toMatch(/Validate\s*:\s*OK/);

    expect(await readSidecar(at('sample_010.xmp'))).toMatchObject({ CreatorTool: 'Shoebox' });
    expect(await readKeywords(at('sample_010.jpg'))).toEqual([['Nature', 'Beach & Sea']]);

    // Originals (and the other program's sidecar) are byte-identical.
    for (const [file, hash] of before) expect(sha(at(file)), file).toBe(hash);
    expect(fs.readdirSync(photos).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
