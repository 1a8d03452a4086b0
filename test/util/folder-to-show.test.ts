import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderToShow } from '../../app/util/folder-to-show.js';
import { fromFsBytes } from '../../app/util/fs-names.js';

const latin1 = (...parts: (string | number)[]) => fromFsBytes(Buffer.concat(parts.map((p) => (typeof p === 'number' ? Buffer.of(p) : Buffer.from(p)))));

describe('show in folder, for any file name', () => {
  it('selects a photo whose path is text in its folder', () => {
    expect(folderToShow('/photos/2024/café.jpg')).toEqual({ select: '/photos/2024/café.jpg' });
  });

  it('opens the folder of a photo whose name is not UTF-8', () => {
    expect(folderToShow(latin1('/photos/2024/caf', 0xe9, '.jpg'))).toEqual({ open: path.join('/photos', '2024') });
  });

  it('opens the nearest folder above whose own path is text', () => {
    expect(folderToShow(latin1('/photos/f', 0xea, 'te/x/caf', 0xe9, '.jpg'))).toEqual({ open: '/photos' });
  });
});
