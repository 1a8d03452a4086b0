import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { EMPTY_METADATA, exifTime, readMetadata } from '../../app/image/metadata.js';
import { TEST_PHOTOS_DIR } from '../helpers/fixtures.js';

describe('photo metadata at ingest', () => {
  it('reads capture time, camera and exposure from a real camera file', async () => {
    // Debian's mate-backgrounds Blinds.jpg was shot on a Canon EOS 350D.
    const meta = await readMetadata(fs.readFileSync(path.join(TEST_PHOTOS_DIR, 'Blinds.jpg')));
    expect(meta).toMatchObject({
      takenAt: '2008-01-22T03:28:22', cameraMake: 'Canon', cameraModel: 'Canon EOS 350D DIGITAL',
      focalLength: 107, aperture: 5.6, exposureTime: 0.0125, iso: 400, orientation: 1,
    });
  });

  it('takes 0 for an unknown focal length or aperture (manual lens) as no value', async () => {
    const meta = await readMetadata(fs.readFileSync(path.join(TEST_PHOTOS_DIR, 'Dune.jpg')));
    expect(meta).toMatchObject({ cameraModel: 'Canon EOS DIGITAL REBEL', focalLength: null, aperture: null, exposureTime: 0.00025, iso: 100 });
  });

  it('reads GPS as signed decimal degrees', async () => {
    const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3080c0' } })
      .jpeg()
      .withExif({ IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '33/1 51/1 3600/100', GPSLongitudeRef: 'E', GPSLongitude: '151/1 12/1 3000/100' } })
      .toBuffer();
    const meta = await readMetadata(bytes);
    expect(meta.gpsLatitude).toBeCloseTo(-(33 + 51 / 60 + 36 / 3600), 5);
    expect(meta.gpsLongitude).toBeCloseTo(151 + 12 / 60 + 30 / 3600, 5);
  });

  it('never fails a photo over broken metadata', async () => {
    expect(await readMetadata(Buffer.from('not an image'))).toEqual(EMPTY_METADATA);
    expect(exifTime('0000:00:00 00:00:00')).toBeNull();
    expect(exifTime('2015:06:21 02:05:56')).toBe('2015-06-21T02:05:56');
  });
});
