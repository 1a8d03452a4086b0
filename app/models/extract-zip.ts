import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type yauzl from 'yauzl';
import { UserError, messageOf } from '../util/errors.js';
import { loadYauzl } from '../util/heavy-modules.js';

/**
 * Extracts a zip into `dest` (which must exist and be empty). yauzl reads the central directory and
 * validates entry names; we also refuse any entry that would land outside `dest` (zip-slip) and skip
 * symlinks, so a crafted archive cannot write anywhere else.
 */
export async function extractZip(zipFile: string, dest: string): Promise<void> {
  const zipReader = await loadYauzl(); // see [Note: heavy modules on first use]
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      zipReader.open(zipFile, { lazyEntries: true, autoClose: true }, (err, opened) => (err ? reject(err) : resolve(opened))),
    );
  } catch (err) {
    throw new UserError(`cannot read zip ${zipFile}: ${messageOf(err)}`);
  }
  const root = path.resolve(dest);
  try {
    for await (const entry of zip.eachEntry()) {
      const target = path.resolve(root, entry.fileName);
      if (!target.startsWith(root + path.sep)) throw new UserError(`zip ${zipFile} has an entry outside its folder: ${entry.fileName}`);
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (mode === 0o120000) continue; // symlink
      if (entry.fileName.endsWith('/')) {
        fs.mkdirSync(target, { recursive: true });
        continue;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await pipeline(await zip.openReadStreamPromise(entry), fs.createWriteStream(target));
    }
  } catch (err) {
    zip.close();
    if (err instanceof UserError) throw err;
    throw new UserError(`cannot extract zip ${zipFile}: ${messageOf(err)}`);
  }
}
