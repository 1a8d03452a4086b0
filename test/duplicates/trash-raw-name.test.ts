import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freedesktopTrash } from '../../app/util/freedesktop-trash.js';
import { fromFsBytes, toFsBytes } from '../../app/util/fs-names.js';
import { runCli, runCliJson, tempDir } from '../helpers/cli.js';
import { TEST_PHOTOS_DIR, TINY_CLIP } from '../helpers/fixtures.js';

type Dupes = { groups: { kind: string; paths: string[]; keep: string }[]; trashed?: string[]; failed?: unknown[] };

/** `<dir>/<before>\xE9<after>`: a Latin-1 é, not valid UTF-8. */
const latin1 = (dir: string, before: string, after: string) => Buffer.concat([Buffer.from(path.join(dir, before)), Buffer.of(0xe9), Buffer.from(after)]);

/** The .trashinfo files of a trash folder, by content. */
const trashInfos = (trash: string) => {
  const dir = path.join(trash, 'info');
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => ({ name: f.replace(/\.trashinfo$/, ''), text: fs.readFileSync(path.join(dir, f), 'latin1') })) : [];
};

describe.runIf(process.platform === 'linux')('trashing a photo whose name is not UTF-8 (see [Note: trashing a name that is not UTF-8])', () => {
  const dirs: string[] = [];
  const fresh = (name: string) => {
    const dir = tempDir(name);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('moves the very bytes to the home trash with a percent-encoded Path=, recoverably', async () => {
    const [photos, dataHome] = [fresh('rawtrash-photos'), fresh('rawtrash-xdg')];
    const file = latin1(photos, 'caf', ' 100%.jpg');
    fs.writeFileSync(file, 'the photo');
    const { trashed, info } = await freedesktopTrash(fromFsBytes(file), { dataHome });
    expect(fs.existsSync(file)).toBe(false);
    expect(path.dirname(path.dirname(info))).toBe(path.join(dataHome, 'Trash'));
    const [entry] = trashInfos(path.join(dataHome, 'Trash'));
    expect(entry!.text).toMatch(new RegExp(`^\\[Trash Info\\]\\nPath=${photos}/caf%E9%20100%25\\.jpg\\nDeletionDate=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\n$`));
    expect(fs.readFileSync(path.join(dataHome, 'Trash', 'files', entry!.name), 'utf8')).toBe('the photo');
    expect(trashed).toBe(path.join(dataHome, 'Trash', 'files', entry!.name));
    // What a file manager does to restore: decode Path= to bytes and rename back.
    const value = entry!.text.match(/^Path=(.*)$/m)![1]!;
    const restored = Buffer.from(value.replace(/%([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
    expect(restored.equals(file)).toBe(true);
  });

  it('leaves the photo where it is when the trash cannot take it', async () => {
    const [photos, dataHome] = [fresh('rawtrash-stuck'), fresh('rawtrash-broken')];
    fs.mkdirSync(path.join(dataHome, 'Trash'));
    fs.writeFileSync(path.join(dataHome, 'Trash', 'files'), 'not a folder');
    const file = latin1(photos, 'caf', '.jpg');
    fs.writeFileSync(file, 'the photo');
    await expect(freedesktopTrash(fromFsBytes(file), { dataHome })).rejects.toThrow();
    expect(fs.readFileSync(file, 'utf8')).toBe('the photo');
    expect(trashInfos(path.join(dataHome, 'Trash'))).toEqual([]);
  });

  // /dev/shm is another device than /tmp on most Linux systems: the drive's own .Trash-$uid, never a copy.
  const shm = '/dev/shm';
  const otherDevice = fs.existsSync(shm) && fs.statSync(shm).dev !== fs.statSync(os.tmpdir()).dev;
  it.runIf(otherDevice)("uses the drive's own trash for a file on another device than the home trash", async () => {
    const dataHome = fresh('rawtrash-home');
    const photos = fs.mkdtempSync(path.join(shm, 'shoebox-rawtrash-'));
    dirs.push(photos);
    const driveTrash = path.join(shm, `.Trash-${process.getuid!()}`);
    const existed = fs.existsSync(driveTrash);
    const file = latin1(photos, 'x', 't.jpg');
    fs.writeFileSync(file, 'on the other drive');
    const { trashed, info } = await freedesktopTrash(fromFsBytes(file), { dataHome });
    try {
      expect(path.dirname(path.dirname(trashed))).toBe(driveTrash);
      expect(fs.readFileSync(trashed, 'utf8')).toBe('on the other drive');
      expect(fs.readFileSync(info, 'latin1')).toContain(`Path=${photos}/x%E9t.jpg\n`);
      expect(fs.existsSync(path.join(dataHome, 'Trash'))).toBe(false);
    } finally {
      if (existed) for (const f of [trashed, info]) fs.rmSync(f, { force: true });
      else fs.rmSync(driveTrash, { recursive: true, force: true });
    }
  });

  describe('from the CLI: dupes --resolve', () => {
    const library = tempDir('rawdupes-lib');
    const photos = tempDir('rawdupes-photos');
    const dataHome = tempDir('rawdupes-xdg');
    dirs.push(library, photos, dataHome);
    const env = { XDG_DATA_HOME: dataHome, HOME: dataHome };
    const args = ['--library', library, '--model', TINY_CLIP];
    const original = path.join(photos, 'Storm.jpg');
    const copyBytes = latin1(path.join(photos, 'export'), 'Storm caf', '.jpg');
    const copy = fromFsBytes(copyBytes);

    beforeAll(() => {
      fs.copyFileSync(path.join(TEST_PHOTOS_DIR, 'Storm.jpg'), original);
      fs.mkdirSync(path.join(photos, 'export'));
      fs.copyFileSync(path.join(TEST_PHOTOS_DIR, 'Storm.jpg'), copyBytes);
      expect(runCliJson<{ indexed: number; failed: unknown[] }>(['index', photos, ...args])).toMatchObject({ indexed: 2, failed: [] });
    });

    it('lists the copy by its exact path in --json and readably for people; the exact path goes back in', () => {
      const dupes = runCliJson<Dupes>(['dupes', ...args], env);
      expect(dupes.groups).toEqual([expect.objectContaining({ kind: 'exact', keep: original, paths: expect.arrayContaining([original, copy]) })]);
      const human = runCli(['dupes', ...args], env);
      expect(human.stdout).toContain(`${path.join(photos, 'export', 'Storm café.jpg')} [name not UTF-8]`);
      const similar = runCliJson<{ results: { path: string }[] }>(['similar', copy, '--all', ...args], env);
      expect(similar.results.map((r) => r.path)).toEqual([original]);
    });

    it('trashes the copy under its very bytes and keeps the original', () => {
      const out = runCliJson<Dupes>(['dupes', '--resolve', '--yes', ...args], env);
      expect(out).toMatchObject({ trashed: [copy], failed: [] });
      expect(toFsBytes(out.trashed![0]!).equals(copyBytes)).toBe(true);
      expect(fs.existsSync(copyBytes)).toBe(false);
      expect(fs.existsSync(original)).toBe(true);
      const infos = trashInfos(path.join(dataHome, 'Trash')).filter((i) => i.text.includes(`Path=${photos}/export/Storm%20caf%E9.jpg\n`));
      expect(infos).toHaveLength(1);
      expect(fs.readFileSync(path.join(dataHome, 'Trash', 'files', infos[0]!.name)).equals(fs.readFileSync(original))).toBe(true);
      expect(runCliJson<Dupes>(['dupes', ...args], env).groups).toEqual([]);
    });
  });
});
