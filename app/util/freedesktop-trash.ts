import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toFsBytes, toFsPath } from './fs-names.js';

/**
 * [Note: trashing a name that is not UTF-8]
 * The `trash` package takes paths as strings and writes `Path=encodeURI(path)`, so it cannot move a file
 * whose name is not UTF-8 (see [Note: file names that are not UTF-8]). Only for such a file on Linux, this
 * follows the freedesktop.org Trash specification 1.0 itself, with the path's bytes:
 * - the trash is the home trash ($XDG_DATA_HOME/Trash) when the file is on the home trash's device, else
 *   the top directory's `$topdir/.Trash/$uid` (only when `.Trash` is a real folder with the sticky bit) or
 *   `$topdir/.Trash-$uid`, created 0700; the file is never copied to another device;
 * - `info/<name>.trashinfo` is created first with O_EXCL (the spec's atomic reservation of the name), holding
 *   `Path=` as the absolute path's bytes percent-encoded (RFC 2396: `%E9` for a Latin-1 é), so a file manager
 *   restores it under its very bytes, and `DeletionDate=` in local time;
 * - then the file is renamed to `files/<name>`; when that fails the info file is removed again and the photo
 *   stays where it was.
 */
export interface TrashLocations {
  /** $XDG_DATA_HOME; defaults to the environment's, then ~/.local/share. */
  dataHome?: string;
}

/** Moves a file to the freedesktop trash of its device; returns where it went. `file` is a string form. */
export async function freedesktopTrash(file: string, locations: TrashLocations = {}): Promise<{ trashed: string; info: string }> {
  const absolute = path.resolve(file);
  const st = await fs.promises.lstat(toFsPath(absolute));
  const trashDir = await trashFor(absolute, st.dev, locations);
  const filesDir = path.join(trashDir, 'files');
  const infoDir = path.join(trashDir, 'info');
  await fs.promises.mkdir(toFsPath(filesDir), { recursive: true, mode: 0o700 });
  await fs.promises.mkdir(toFsPath(infoDir), { recursive: true, mode: 0o700 });

  const name = randomUUID();
  const info = path.join(infoDir, `${name}.trashinfo`);
  const trashed = path.join(filesDir, name);
  const text = `[Trash Info]\nPath=${percentEncode(toFsBytes(absolute))}\nDeletionDate=${localDate(new Date())}\n`;
  await fs.promises.writeFile(toFsPath(info), text, { flag: 'wx', mode: 0o600 });
  try {
    await fs.promises.rename(toFsPath(absolute), toFsPath(trashed));
  } catch (err) {
    await fs.promises.rm(toFsPath(info), { force: true });
    throw err;
  }
  return { trashed, info };
}

/** The trash folder for a file on device `dev` (see the note above). */
async function trashFor(file: string, dev: number, locations: TrashLocations): Promise<string> {
  const dataHome = locations.dataHome ?? (process.env['XDG_DATA_HOME'] || path.join(os.homedir(), '.local', 'share'));
  const homeTrash = path.join(dataHome, 'Trash');
  if ((await nearestExisting(homeTrash)).dev === dev) return homeTrash;
  const top = await topDirectory(file, dev);
  const uid = String(process.getuid?.() ?? 0);
  const shared = path.join(top, '.Trash');
  try {
    const s = await fs.promises.lstat(toFsPath(shared));
    // The spec's checks: a real folder (not a link) with the sticky bit, else it must not be used.
    if (s.isDirectory() && (s.mode & 0o1000) !== 0) {
      const mine = path.join(shared, uid);
      await fs.promises.mkdir(toFsPath(mine), { recursive: true, mode: 0o700 });
      return mine;
    }
  } catch {
    // no shared trash on this drive: the per-user one below
  }
  const own = path.join(top, `.Trash-${uid}`);
  await fs.promises.mkdir(toFsPath(own), { recursive: true, mode: 0o700 });
  return own;
}

/** The mount point holding `file`: the highest folder above it on the same device. */
async function topDirectory(file: string, dev: number): Promise<string> {
  let dir = path.dirname(file);
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir || (await fs.promises.stat(toFsPath(parent))).dev !== dev) return dir;
    dir = parent;
  }
}

async function nearestExisting(dir: string): Promise<fs.Stats> {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      return await fs.promises.stat(toFsPath(d));
    } catch (err) {
      if (path.dirname(d) === d) throw err;
    }
  }
}

/** Bytes as RFC 2396 escapes them in a path: unreserved characters and `/` as they are, the rest `%XX`. */
function percentEncode(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.!~*'()/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The spec's DeletionDate: YYYY-MM-DDThh:mm:ss in local time. */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
