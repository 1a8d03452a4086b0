import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { modelsDir } from '../library-paths.js';
import { ClipModel } from '../model/clip-model.js';
import { loadModelPack } from '../model/load-pack.js';
import { verifyPackChecksums } from '../model/model-identity.js';
import { VerifiedFiles } from '../model/verified-files.js';
import { UserError, messageOf } from '../util/errors.js';
import { downloadFile, type DownloadProgress } from './download.js';
import { extractZip } from './extract-zip.js';
import { findRegistryPack, type Registry, type RegistryPack } from './registry.js';
import { modelCalibration } from '../search/model-calibration.js';
import { requireSelfCheck, type SelfCheckResult } from './self-check.js';

export type InstallProgress =
  | ({ phase: 'download'; fileIndex: number; fileCount: number } & DownloadProgress)
  | { phase: 'copy' | 'extract' | 'verify' | 'self-check' };

export interface InstallOptions {
  registry: Registry;
  onProgress?: (progress: InstallProgress) => void;
  /** Download attempts after a dropped connection, and the pause before the first retry. */
  retries?: number;
  retryDelayMs?: number;
}

/** `installed.json`: what an installed pack is and how it got here. Written last, inside the staging folder. */
export const INSTALL_RECORD = 'installed.json';
const installRecordSchema = z.object({
  id: z.string(),
  from: z.enum(['registry', 'folder', 'zip']),
  origin: z.string(),
  installedAt: z.string(),
  /** sha256 of every file as installed (measured, and equal to the registry's where it lists one). */
  files: z.record(z.string(), z.string()),
  selfCheck: z.object({ correct: z.number(), total: z.number() }),
});
export type InstallRecord = z.infer<typeof installRecordSchema>;

export interface InstalledPack {
  id: string;
  dir: string;
  record: InstallRecord | undefined;
}

export interface InstallResult {
  id: string;
  dir: string;
  alreadyInstalled: boolean;
  selfCheck: SelfCheckResult | undefined;
}

/**
 * [Note: atomic pack install]
 * A pack is assembled in `<library>/models/.staging-<id>…` (same file system, so the final rename is atomic),
 * verified (checksums, then the functional self-check, see [Note: model self-check]) and only then renamed to
 * `<library>/models/<id>`. A folder named like a pack id is therefore always a complete, checked pack; staging
 * folders start with a dot and are never taken for packs. A registry download keeps its staging folder when
 * interrupted so the next run resumes (see [Note: atomic resumable download]).
 */
export async function installModel(libraryDir: string, source: string, options: InstallOptions): Promise<InstallResult> {
  const entry = findRegistryPack(options.registry, source);
  if (entry) return installFromRegistry(libraryDir, entry, options);
  const resolved = path.resolve(source);
  if (!fs.existsSync(resolved)) {
    const names = options.registry.packs.map((p) => p.id).join(', ');
    throw new UserError(`no model pack named "${source}" (known: ${names}) and no folder or zip at ${resolved}`);
  }
  if (fs.statSync(resolved).isDirectory()) return installFromLocal(libraryDir, resolved, 'folder', options);
  if (resolved.toLowerCase().endsWith('.zip')) return installFromLocal(libraryDir, resolved, 'zip', options);
  throw new UserError(`cannot install ${resolved}: expected a model pack name, a folder or a .zip`);
}

async function installFromRegistry(libraryDir: string, pack: RegistryPack, options: InstallOptions): Promise<InstallResult> {
  const finalDir = path.join(modelsDir(libraryDir), pack.id);
  if (fs.existsSync(finalDir)) return { id: pack.id, dir: finalDir, alreadyInstalled: true, selfCheck: undefined };
  const staging = path.join(modelsDir(libraryDir), `.staging-${pack.id}`);
  fs.mkdirSync(staging, { recursive: true });
  const verified = VerifiedFiles.open(staging);
  const files: Record<string, string> = {};
  for (const [index, file] of pack.files.entries()) {
    const dest = path.join(staging, ...file.path.split('/'));
    if (fs.existsSync(dest)) {
      // Finished and verified by an earlier, interrupted run (only verified files are ever renamed here).
      files[file.path] = await verified.sha256(dest);
      continue;
    }
    const result = await downloadFile(
      { url: file.url, dest, label: file.path, sha256: file.sha256, bytes: file.bytes },
      {
        ...(options.retries !== undefined ? { retries: options.retries } : {}),
        ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
        onProgress: (p) => options.onProgress?.({ phase: 'download', fileIndex: index, fileCount: pack.files.length, ...p }),
      },
    );
    files[file.path] = result.sha256;
    verified.remember(dest, result.sha256);
  }
  return finish(staging, finalDir, { id: pack.id, from: 'registry', origin: pack.source, files }, verified, options);
}

async function installFromLocal(libraryDir: string, source: string, from: 'folder' | 'zip', options: InstallOptions): Promise<InstallResult> {
  const id = packIdFromName(path.basename(source, path.extname(source)));
  const finalDir = path.join(modelsDir(libraryDir), id);
  if (fs.existsSync(finalDir)) throw new UserError(`a model pack "${id}" is already installed at ${finalDir}`);
  fs.mkdirSync(modelsDir(libraryDir), { recursive: true });
  const staging = path.join(modelsDir(libraryDir), `.staging-${id}-${crypto.randomBytes(4).toString('hex')}`);
  fs.mkdirSync(staging);
  try {
    if (from === 'folder') {
      options.onProgress?.({ phase: 'copy' });
      fs.cpSync(source, staging, { recursive: true, dereference: true, filter: (f) => !path.basename(f).startsWith('.') || f === source });
    } else {
      options.onProgress?.({ phase: 'extract' });
      await extractZip(source, staging);
      hoistSingleFolder(staging);
    }
    const files: Record<string, string> = {};
    const verified = VerifiedFiles.open(staging);
    for (const file of listFiles(staging)) files[file] = await verified.sha256(path.join(staging, file));
    return await finish(staging, finalDir, { id, from, origin: source, files }, verified, options);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Checks the staged pack, records how it was installed and renames it into place. `verified` holds the hashes
 * just measured: they travel with the pack, so no library hashes its files again (see [Note: verified pack record]).
 */
async function finish(
  staging: string,
  finalDir: string,
  record: Omit<InstallRecord, 'installedAt' | 'selfCheck'>,
  verified: VerifiedFiles,
  options: InstallOptions,
): Promise<InstallResult> {
  options.onProgress?.({ phase: 'verify' });
  let pack;
  try {
    pack = loadModelPack(staging);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new UserError(`${record.origin} is not a usable model pack: ${messageOf(err)}`);
  }
  const mismatches = await verifyPackChecksums(pack, verified);
  if (mismatches.length > 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new UserError(`model pack ${record.origin} is damaged: checksum mismatch for ${mismatches.map((m) => m.file).join(', ')}`);
  }
  options.onProgress?.({ phase: 'self-check' });
  const model = new ClipModel(pack);
  let selfCheck: SelfCheckResult;
  try {
    selfCheck = await requireSelfCheck(model, record.id);
    // The self-check opened the text session: its embedding size costs nothing now, a session load later.
    if (!pack.embeddingDim) await verified.embeddingDim(pack.text.path, () => model.embeddingDim());
    // Both sessions are open: the pack's score geometry is measured now, once, and travels with the pack
    // (CALIBRATION_FILE, see [Note: model calibration]), so no first search pays for it.
    await modelCalibration(model);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  } finally {
    await model.release();
  }
  const full: InstallRecord = { ...record, installedAt: new Date().toISOString(), selfCheck: { correct: selfCheck.correct, total: selfCheck.total } };
  fs.writeFileSync(path.join(staging, INSTALL_RECORD), `${JSON.stringify(full, null, 2)}\n`);
  try {
    fs.renameSync(staging, finalDir);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new UserError(`cannot move the model pack into ${finalDir}: ${messageOf(err)}`);
  }
  return { id: record.id, dir: finalDir, alreadyInstalled: false, selfCheck };
}

/** Installed packs: every non-hidden folder in `<library>/models`, with its install record when it has one. */
export function listInstalledPacks(libraryDir: string): InstalledPack[] {
  const dir = modelsDir(libraryDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => ({ id: d.name, dir: path.join(dir, d.name), record: readInstallRecord(path.join(dir, d.name)) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function readInstallRecord(dir: string): InstallRecord | undefined {
  try {
    return installRecordSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, INSTALL_RECORD), 'utf8')));
  } catch {
    return undefined;
  }
}

/** A folder or zip name made safe as a pack id (the folder name under models/). */
export function packIdFromName(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  if (!id) throw new UserError(`cannot make a model pack name from "${name}"`);
  return id;
}

/** A zip made by zipping a folder holds that one folder: use its contents as the pack. */
function hoistSingleFolder(dir: string): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
  const only = entries[0];
  if (entries.length !== 1 || !only?.isDirectory()) return;
  const inner = path.join(dir, only.name);
  const temp = path.join(dir, `.hoist-${crypto.randomBytes(4).toString('hex')}`);
  fs.renameSync(inner, temp);
  for (const name of fs.readdirSync(temp)) fs.renameSync(path.join(temp, name), path.join(dir, name));
  fs.rmdirSync(temp);
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, relative));
    else if (e.isFile()) out.push(relative);
  }
  return out.sort();
}
