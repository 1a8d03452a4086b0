import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { defaultCacheDir } from '../library-paths.js';
import { sha256File, type FileHasher } from './sha256-file.js';

/**
 * [Note: verified pack record]
 * Hashing a ViT-B/32-sized pack reads ~600 MB (1–3 s). It used to happen for every new library (the checksum
 * check before the first vector is written) and, for a pack that declares no checksums, on every run (the
 * model's identity is its vision file's sha256). Now each file is hashed once per installed pack:
 * `.shoebox-verified.json` in the pack folder keeps, per file, the sha256 measured and the file's size, mtime
 * and ctime (ns) at that moment. A file whose stat still matches is not read again; any change (a touch, a
 * rewrite, a copy put in its place with the old mtime: ctime cannot be set back) hashes it again.
 *
 * The record holds measured hashes, not verdicts: a damaged file's wrong hash is recorded and refused again
 * next time with the same error, and the identity the catalog uses is the very hash it always was. A pack
 * folder nobody may write (a shared read-only folder) keeps its record in the per-user cache, keyed by the
 * folder's real path; where neither can be written, every run hashes as before. Not noticed: bytes that change
 * with no change of size, mtime or ctime (damage under the file system), the trade-off git's index makes.
 *
 * The text model's entry also keeps the embedding size its bytes produce: registering a pack that does not
 * declare it in a new library would otherwise open the text session to find out (2.5 s for ViT-B/32).
 */
export const VERIFIED_RECORD = '.shoebox-verified.json';

const entrySchema = z.object({
  size: z.number(),
  mtimeNs: z.string(),
  ctimeNs: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  embeddingDim: z.number().int().positive().optional(),
});
const recordSchema = z.object({
  format: z.literal('shoebox-verified/1'),
  /** The pack's real path when written; checked for records kept in the cache, not for one inside the pack (it may move). */
  dir: z.string(),
  files: z.record(z.string(), entrySchema),
});
type Entry = z.infer<typeof entrySchema>;
type Stat = Pick<Entry, 'size' | 'mtimeNs' | 'ctimeNs'>;

export interface VerifiedFilesOptions {
  hasher?: FileHasher;
  /** Where the records of read-only packs go (default: the per-user cache folder). */
  cacheDir?: string;
}

/** The hashes of one pack's files, read from its record and kept up to date (see [Note: verified pack record]). */
export class VerifiedFiles {
  private constructor(
    private readonly dir: string,
    private readonly real: string,
    private readonly files: Record<string, Entry>,
    /** Where the record is written, best place first. */
    private readonly targets: string[],
    private readonly hasher: FileHasher,
  ) {}

  static open(packDir: string, options: VerifiedFilesOptions = {}): VerifiedFiles {
    const dir = path.resolve(packDir);
    const real = realPath(dir);
    const inPack = path.join(dir, VERIFIED_RECORD);
    const inCache = path.join(options.cacheDir ?? defaultCacheDir(), 'verified-packs', `${crypto.createHash('sha256').update(real).digest('hex').slice(0, 32)}.json`);
    const targets = isWritableDir(dir) ? [inPack, inCache] : [inCache];
    // The place it would be written first; else the other (a read-only pack that was verified while writable).
    const files = targets[0] === inPack ? (readRecord(inPack) ?? readRecord(inCache, real)) : (readRecord(inCache, real) ?? readRecord(inPack));
    return new VerifiedFiles(dir, real, files ?? {}, targets, options.hasher ?? sha256File);
  }

  /** sha256 of a file of the pack: the recorded one while the file is unchanged, else measured and recorded. */
  async sha256(file: string): Promise<string> {
    const key = this.keyOf(file);
    const before = statOf(file);
    const known = key === undefined ? undefined : this.files[key];
    if (known && sameStat(known, before)) return known.sha256;
    const sha256 = await this.hasher(file);
    // A file that changed while it was read is not recorded: its hash may be of neither version.
    if (key !== undefined && sameStat(statOf(file), before)) this.put(key, { ...before, sha256 });
    return sha256;
  }

  /** A hash measured elsewhere, from these very bytes (a download checks its file as it lands). */
  remember(file: string, sha256: string): void {
    const key = this.keyOf(file);
    if (key !== undefined) this.put(key, { ...statOf(file), sha256 });
  }

  /** The embedding size a text model file produces: recorded with its hash, else measured once. */
  async embeddingDim(textFile: string, measure: () => Promise<number>): Promise<number> {
    const sha256 = await this.sha256(textFile);
    const key = this.keyOf(textFile);
    const entry = key === undefined ? undefined : this.files[key];
    if (entry?.sha256 === sha256 && entry.embeddingDim) return entry.embeddingDim;
    const dim = await measure();
    if (key !== undefined && entry?.sha256 === sha256) this.put(key, { ...entry, embeddingDim: dim });
    return dim;
  }

  private keyOf(file: string): string | undefined {
    const relative = path.relative(this.dir, path.resolve(file));
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return relative.split(path.sep).join('/');
  }

  private put(key: string, entry: Entry): void {
    this.files[key] = entry;
    const body = `${JSON.stringify({ format: 'shoebox-verified/1', dir: this.real, files: this.files }, null, 2)}\n`;
    for (const target of this.targets) {
      try {
        writeAtomically(target, body);
        return;
      } catch {
        // Try the next place; with none left, the next run simply hashes again.
      }
    }
  }
}

function statOf(file: string): Stat {
  const st = fs.statSync(file, { bigint: true });
  return { size: Number(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs) };
}

function sameStat(a: Stat, b: Stat): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

function readRecord(file: string, realDir?: string): Record<string, Entry> | undefined {
  try {
    const record = recordSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return realDir === undefined || record.dir === realDir ? record.files : undefined;
  } catch {
    return undefined; // missing or unreadable: nothing is known, files are hashed
  }
}

/**
 * Whether the record may be written into the folder. Root passes access() on any folder, so a folder that
 * grants nobody write permission (like a shared read-only model folder) is left alone even then.
 */
function isWritableDir(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return (fs.statSync(dir).mode & 0o222) !== 0;
  } catch {
    return false;
  }
}

function writeAtomically(target: string, body: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temp, body);
    fs.renameSync(temp, target); // two processes writing at once: the last complete record wins
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

function realPath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}
