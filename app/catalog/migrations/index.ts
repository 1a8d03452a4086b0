import { initial } from './001-initial.js';
import { perceptualHash } from './002-perceptual-hash.js';
import { exposureMetadata } from './003-exposure-metadata.js';
import { tags } from './004-tags.js';
import { liveLibrary } from './005-live-library.js';
import { gridOrder } from './007-grid-order.js';
import { hashStability } from './008-hash-stability.js';
import { pictureSignatures } from './009-picture-signatures.js';
import { albums } from './010-albums.js';
import { photoMarks } from './011-photo-marks.js';
import { smartAlbums } from './012-smart-albums.js';
import type { Migration } from './migration.js';

/** Every migration, oldest first. Add a file per change; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, perceptualHash, exposureMetadata, tags, liveLibrary, gridOrder, hashStability, pictureSignatures, albums, photoMarks, smartAlbums];
