import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { photoSummary } from '../../app/api/views.js';
import { Core } from '../../app/core.js';
import { displayName, hasRawBytes, toFsBytes } from '../../app/util/fs-names.js';
import { tempDir } from '../helpers/cli.js';
import { libraryWithPhotos } from '../helpers/library-with-photos.js';
import { REFERENCE_DIR, SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const GOOD = ['sample_000.jpg', 'sample_001.jpg', 'sample_024.jpg', 'sample_045.jpg'];

describe('indexing a folder (real files, real SQLite, real ONNX Runtime)', () => {
  const fixture = libraryWithPhotos('lib', GOOD);
  let library: string;
  let photos: string;
  let core: Core;
  beforeEach(() => ({ library, photos, core } = fixture.current));

  it('indexes, then reports every photo unchanged on a second run', async () => {
    const first = await core.index([photos]);
    expect(first).toMatchObject({ indexed: 4, unchanged: 0, failed: [] });
    const second = await core.index([photos]);
    expect(second).toMatchObject({ indexed: 0, unchanged: 4, failed: [] });
    expect(core.catalog.photos.count()).toBe(4);
  });

  it('records bad files with a reason and indexes every good file beside them', async () => {
    fs.writeFileSync(path.join(photos, 'zero.jpg'), '');
    fs.writeFileSync(path.join(photos, 'notes.jpg'), 'this is a text file, not a photo\n');
    const jpeg = fs.readFileSync(path.join(SAMPLES_DIR, 'sample_002.jpg'));
    fs.writeFileSync(path.join(photos, 'truncated.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    const corrupt = Buffer.from(jpeg);
    corrupt.fill(0x5a, 200, 1200); // scramble the headers (quantization/Huffman tables) after the SOI marker
    fs.writeFileSync(path.join(photos, 'corrupt.jpg'), corrupt);
    fs.mkdirSync(path.join(photos, 'sub folder'));
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_003.jpg'), path.join(photos, 'sub folder', 'café 🌅 beach.jpg'));
    // `caf\xE9 au soleil.jpg`: a Latin-1 name, as an old archive or a Windows share leaves it (not valid UTF-8).
    const latin1 = Buffer.concat([Buffer.from(path.join(photos, 'sub folder', 'caf')), Buffer.of(0xe9), Buffer.from(' au soleil.jpg')]);
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_093.jpg'), latin1); // a sunset over the beach
    fs.writeFileSync(path.join(photos, 'readme.txt'), 'not an image extension: skipped quietly');

    const report = await core.index([photos]);
    const failed = new Map(report.failed.map((f) => [path.basename(f.path), f.error]));
    console.log('failures:', Object.fromEntries(failed));
    expect(report.indexed).toBe(6);
    expect([...failed.keys()].sort()).toEqual(['corrupt.jpg', 'notes.jpg', 'truncated.jpg', 'zero.jpg']);
    expect(failed.get('zero.jpg')).toMatch(/empty file/);
    expect(failed.get('notes.jpg')).toMatch(/not an image/);
    expect(failed.get('truncated.jpg')).toMatch(/truncated|cannot decode/);
    expect(core.catalog.errors.list().map((e) => path.basename(e.path)).sort()).toEqual(['corrupt.jpg', 'notes.jpg', 'truncated.jpg', 'zero.jpg']);
    const results = await core.search('a sunset', { all: true, limit: 10 });
    expect(results.map((r) => path.basename(r.path))).toContain('café 🌅 beach.jpg');
    // Found under its exact bytes, shown with a readable name (see [Note: file names that are not UTF-8]).
    const raw = results.find((r) => hasRawBytes(r.path));
    expect(raw && toFsBytes(raw.path).equals(latin1)).toBe(true);
    expect(displayName(path.basename(raw!.path))).toBe('café au soleil.jpg');
    expect(photoSummary(core.catalog.photos.byPath(raw!.path)!).name).toBe('café au soleil.jpg');
  });

  it('refuses a decompression bomb from its header without allocating it', async () => {
    // A valid PNG header declaring 50 000 × 50 000 pixels (2.5 gigapixels) followed by almost nothing.
    fs.writeFileSync(path.join(photos, 'bomb.png'), pngHeader(50_000, 50_000));
    const report = await core.index([photos]);
    expect(report.indexed).toBe(4);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]!.error).toMatch(/too large/);
  });

  it('removes photos whose files are gone, and re-embeds when the model changes', async () => {
    await core.index([photos]);
    fs.rmSync(path.join(photos, GOOD[0]!));
    const after = await core.index([photos]);
    expect(after).toMatchObject({ removed: 1, unchanged: 3 });
    expect(core.catalog.photos.count()).toBe(3);
    await core.close();

    // Same weights under another name are another model: its vectors are built, not borrowed.
    const otherPack = tempDir('pack');
    for (const f of ['vision_model.onnx', 'text_model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json']) {
      fs.copyFileSync(path.join(TINY_CLIP, f), path.join(otherPack, f));
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(TINY_CLIP, 'manifest.json'), 'utf8'));
    fs.writeFileSync(path.join(otherPack, 'manifest.json'), JSON.stringify({ ...manifest, name: 'tiny-clip-copy' }));
    core = Core.open({ libraryDir: library, modelDir: otherPack });
    const switched = await core.index([photos]);
    expect(switched).toMatchObject({ indexed: 3, unchanged: 0 });
    expect(core.catalog.models.list().map((m) => m.name)).toEqual(['tiny-clip-synthetic', 'tiny-clip-copy']);
    fs.rmSync(otherPack, { recursive: true, force: true });
  });

  it('reuses the vector of identical bytes found at another path, and skips a file touched without change', async () => {
    await core.index([photos]);
    fs.copyFileSync(path.join(photos, GOOD[1]!), path.join(photos, 'copy of sample_001.jpg'));
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(photos, GOOD[2]!), future, future);
    const report = await core.index([photos]);
    expect(report).toMatchObject({ indexed: 1, unchanged: 4 });
    const [top] = await core.similar(path.join(photos, GOOD[1]!), { all: true, limit: 1 });
    expect(path.basename(top!.path)).toBe('copy of sample_001.jpg');
    expect(top!.score).toBeCloseTo(1, 5);
  });

  it('never indexes the library folder itself, nor hidden folders, and survives a symlink loop', async () => {
    const inside = path.join(photos, 'library');
    await core.close();
    core = Core.open({ libraryDir: inside, modelDir: TINY_CLIP });
    fs.mkdirSync(path.join(inside, 'cache'), { recursive: true });
    fs.copyFileSync(path.join(REFERENCE_DIR, 'ref_01_640x480.jpg'), path.join(inside, 'cache', 'thumb.jpg'));
    fs.mkdirSync(path.join(photos, '.thumbnails'));
    fs.copyFileSync(path.join(REFERENCE_DIR, 'ref_02_480x640.jpg'), path.join(photos, '.thumbnails', 'x.jpg'));
    fs.symlinkSync(photos, path.join(photos, 'loop'));
    const report = await core.index([photos]);
    expect(report).toMatchObject({ indexed: 4, failed: [] });
  });
});

/**
 * A small, well-formed PNG that declares `width` × `height` pixels: IHDR, one IDAT holding a few
 * compressed rows (the rest is missing), IEND. Decoding it would need width × height × 3 bytes.
 */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const rows = zlib.deflateSync(Buffer.alloc(4 * (1 + width * 3)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c;
}
