import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../app/core.js';
import { fromFsBytes, toFsBytes } from '../../app/util/fs-names.js';
import { tempDir } from '../helpers/cli.js';
import { libraryWithPhotos } from '../helpers/library-with-photos.js';
import { FIXTURES, SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const GOOD = ['sample_000.jpg', 'sample_001.jpg', 'sample_024.jpg'];

/** The OS error a real read or listing raises; CI runs as root, where chmod 000 does not stop anything. */
function osError(code: string, syscall: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: permission denied, ${syscall} '${file}'`), { code, syscall, path: file });
}

describe('bad input beside good photos (real files; OS errors simulated only where root cannot cause them)', () => {
  const fixture = libraryWithPhotos('bad', GOOD);
  let library: string;
  let photos: string;
  let core: Core;
  beforeEach(() => ({ library, photos, core } = fixture.current));

  it('indexes a file name that is not valid UTF-8 under its exact bytes: unchanged, moved and deleted like any other', async () => {
    // `caf\xE9.jpg`: Latin-1 bytes, as an old camera card or a Windows share can produce.
    const latin1 = (name: string) => Buffer.concat([Buffer.from(`${photos}/${name.split('é')[0]}`), Buffer.of(0xe9), Buffer.from(name.split('é')[1]!)]);
    fs.writeFileSync(latin1('café.jpg'), fs.readFileSync(path.join(SAMPLES_DIR, 'sample_045.jpg')));
    expect(await core.index([photos])).toMatchObject({ indexed: 4, failed: [] });
    const stored = fromFsBytes(latin1('café.jpg'));
    const photo = core.catalog.photos.byPath(stored)!;
    expect(photo).toBeDefined();
    expect(toFsBytes(photo.path).equals(latin1('café.jpg'))).toBe(true); // out of SQLite byte for byte

    expect(await core.index([photos])).toMatchObject({ indexed: 0, unchanged: 4, failed: [] });
    fs.renameSync(latin1('café.jpg'), latin1('é.jpg'));
    expect(await core.index([photos])).toMatchObject({ indexed: 0, unchanged: 4, removed: 0, failed: [] });
    expect(core.catalog.photos.byPath(fromFsBytes(latin1('é.jpg')))?.id).toBe(photo.id); // a move keeps its identity
    fs.rmSync(latin1('é.jpg'));
    expect(await core.index([photos])).toMatchObject({ removed: 1, unchanged: 3 });
  });

  it('indexes a root folder whose own name is not UTF-8, given in its exact string form', async () => {
    const dirBytes = Buffer.concat([Buffer.from(`${photos}/Album `), Buffer.of(0xe9, 0x74, 0xe9)]); // `Album été` in Latin-1
    fs.mkdirSync(dirBytes);
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_045.jpg'), Buffer.concat([dirBytes, Buffer.from('/inside.jpg')]));
    const root = fromFsBytes(dirBytes);
    expect(await core.index([root])).toMatchObject({ indexed: 1, failed: [], offline: [] });
    expect(core.catalog.photos.byPath(path.join(root, 'inside.jpg'))).toBeDefined();
    expect(core.listRoots().find((r) => r.path === root)).toMatchObject({ photoCount: 1, online: true });
  });

  it('records an unreadable folder, indexes its siblings, and keeps the photos it held', async () => {
    const locked = path.join(photos, 'locked');
    fs.mkdirSync(locked);
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_045.jpg'), path.join(locked, 'inside.jpg'));
    expect(await core.index([photos])).toMatchObject({ indexed: 4 });

    const readdir = async (dir: string) => {
      if (dir === locked) throw osError('EACCES', 'scandir', dir);
      return fs.promises.readdir(dir, { withFileTypes: true });
    };
    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_046.jpg'), path.join(photos, 'new.jpg'));
    const report = await core.index([photos], { readdir });
    expect(report).toMatchObject({ indexed: 1, removed: 0 });
    expect(report.failed).toEqual([{ path: locked, stage: 'scan', error: expect.stringMatching(/cannot read folder: EACCES/) }]);
    expect(core.catalog.photos.byPath(path.join(locked, 'inside.jpg'))).toBeDefined();
  });

  it('records truncated and corrupt HEIC files with a reason', async () => {
    const heic = fs.readFileSync(path.join(FIXTURES, 'formats', 'sunset.heic'));
    fs.writeFileSync(path.join(photos, 'truncated.heic'), heic.subarray(0, Math.floor(heic.length * 0.6)));
    const corrupt = Buffer.from(heic);
    corrupt.fill(0x00, heic.length - 1500, heic.length - 200); // zero most of the HEVC data
    fs.writeFileSync(path.join(photos, 'corrupt.heic'), corrupt);
    fs.writeFileSync(path.join(photos, 'text.heic'), 'not a HEIC file');
    const report = await core.index([photos]);
    const failed = new Map(report.failed.map((f) => [path.basename(f.path), f.error]));
    expect(failed.get('truncated.heic')).toMatch(/cannot decode HEIC/);
    expect(failed.get('text.heic')).toMatch(/not an image/);
    // HEVC conceals damaged data the way libjpeg does: the corrupt file decodes to a damaged picture (indexed)
    // or is refused with a reason; either way it is accounted for and the good photos are indexed.
    expect(report.indexed + report.failed.length).toBe(6);
    expect(GOOD.every((f) => core.catalog.photos.byPath(path.join(photos, f)))).toBe(true);
  });

  it('records an unreadable file as permission denied', async () => {
    const secret = path.join(photos, GOOD[1]!);
    const readFile = async (file: string) => {
      if (file === secret) throw osError('EACCES', 'open', file);
      return fs.promises.readFile(file);
    };
    const report = await core.index([photos], { readFile });
    expect(report.indexed).toBe(2);
    expect(report.failed).toEqual([{ path: secret, stage: 'read', error: 'permission denied' }]);
    // Permissions fixed (size and mtime unchanged): the next run reads it.
    expect(await core.index([photos])).toMatchObject({ indexed: 1, unchanged: 2, failed: [] });
  });

  it('records a file deleted between the scan and its decode', async () => {
    const doomed = path.join(photos, GOOD[2]!);
    // Really deleted, at the last moment: after the scan saw it, just before it is read.
    const readFile = async (file: string) => {
      if (file === doomed) fs.rmSync(file);
      return fs.promises.readFile(file);
    };
    const report = await core.index([photos], { readFile });
    expect(report.indexed).toBe(2);
    expect(report.failed).toEqual([{ path: doomed, stage: 'read', error: 'file vanished before it could be read' }]);
  });
});
