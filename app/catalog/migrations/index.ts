import { initial } from './001-initial.js';
import { perceptualHash } from './002-perceptual-hash.js';
import { exposureMetadata } from './003-exposure-metadata.js';
import { gridOrder } from './007-grid-order.js';
import type { Migration } from './migration.js';

/** Every migration, oldest first. Add a file per change; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, perceptualHash, exposureMetadata, gridOrder];
