import path from 'node:path';
import { hasPairedJpeg } from './file-checks.js';
import { scanFolder, type ScanOptions } from './scan.js';

/**
 * [Note: index total]
 * An index run walks and works at once (the walk waits for decoding slots), so by itself it only knows the
 * files it has found so far: a progress bar's total would creep along just ahead of its count. When someone
 * shows progress, this second walk counts the image files ahead of the run, with the same rules (it is
 * scanFolder too, so what it counts is what the run will meet). It runs beside the run rather than before it,
 * so the first photo is not delayed; it only lists and stats, which finishes long before the photos are
 * decoded (and the run's own walk then finds those entries in the OS cache). Paired RAW files are not counted:
 * they are the second file of their JPEG's photo, not work of their own. Undefined when stopped.
 */
export async function countImageFiles(folders: readonly string[], options: ScanOptions, stopped: () => boolean): Promise<number | undefined> {
  let count = 0;
  for (const folder of folders) {
    for await (const entry of scanFolder(path.resolve(folder), options)) {
      if (stopped()) return undefined;
      if (entry.kind === 'file' && !hasPairedJpeg(entry.path)) count++;
    }
  }
  return count;
}
