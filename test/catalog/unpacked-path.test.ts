import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unpackedPath } from '../../app/util/app-root.js';

describe('native extension path in a packaged app', () => {
  it('points into app.asar.unpacked, and leaves other paths alone', () => {
    const inAsar = path.join('/opt/Shoebox/resources/app.asar/node_modules/sqlite-vec-linux-x64/vec0.so');
    expect(unpackedPath(inAsar)).toBe(path.join('/opt/Shoebox/resources/app.asar.unpacked/node_modules/sqlite-vec-linux-x64/vec0.so'));
    const dev = path.join('/work/main/node_modules/sqlite-vec-linux-x64/vec0.so');
    expect(unpackedPath(dev)).toBe(dev);
  });
});
