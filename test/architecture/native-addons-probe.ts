/**
 * Run by native-addons.test.ts in its own Node process: opens a real library on tiny-clip, indexes two sample
 * photos (sharp decodes in the pool's worker threads, ONNX Runtime encodes, SQLite with sqlite-vec stores) and
 * runs a text search, then prints, as one `PROBE {json}` line, every shared object the process has mapped.
 * The list of native code to check thus comes from what really loaded, not from a list someone keeps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openApi } from '../helpers/api-library.js';
import { valueOf } from '../helpers/api-value.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR } from '../helpers/fixtures.js';

export interface ProbeReport {
  photoCount: number;
  searchResults: number;
  /** Absolute paths of the mapped files ending in .node or .so (with or without a version suffix). */
  sharedObjects: string[];
}

function mappedSharedObjects(): string[] {
  const files = new Set<string>();
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    // address perms offset dev inode pathname: the path is whatever follows the fifth field.
    const file = line.split(/\s+/).slice(5).join(' ');
    if (file.startsWith('/') && /\.(node|so(\.\d+)*)$/.test(file)) files.add(file);
  }
  return [...files].sort();
}

const root = tempDir('native-probe');
const photos = path.join(root, 'photos');
fs.mkdirSync(photos);
for (const file of ['sample_045.jpg', 'sample_016.jpg']) fs.copyFileSync(path.join(SAMPLES_DIR, file), path.join(photos, file));
const api = await openApi(root, [photos]);
try {
  const status = valueOf<{ photoCount: number }>(await api.router.call('status', {}));
  const search = valueOf<{ results: unknown[] }>(await api.router.call('search.text', { query: 'a sunset' }));
  const report: ProbeReport = { photoCount: status.photoCount, searchResults: search.results.length, sharedObjects: mappedSharedObjects() };
  console.log(`PROBE ${JSON.stringify(report)}`);
} finally {
  await api.close();
  fs.rmSync(root, { recursive: true, force: true });
}
