import path from 'node:path';
import type { ModelPack } from './pack-types.js';
import { VerifiedFiles } from './verified-files.js';

/**
 * Identity of a model for the catalog: its name plus the hash of its vision weights. Two packs with the
 * same weights share vectors; new weights under the same name get a new vec0 table (see
 * [Note: one vec0 table per model]). Uses the pack's declared checksum when it has one, else the measured
 * hash, which the pack's record keeps between runs (see [Note: verified pack record]).
 */
export async function modelKey(pack: ModelPack, verified: VerifiedFiles = VerifiedFiles.open(pack.dir)): Promise<string> {
  const relative = path.relative(pack.dir, pack.vision.path).split(path.sep).join('/');
  const sha = pack.checksums[relative] ?? (await verified.sha256(pack.vision.path));
  return `${pack.name}#${sha.slice(0, 16)}`;
}

/**
 * Checks the files a model needs (ONNX, tokenizer, configs) against the checksums the pack declares.
 * Documentation files are not checked: a README edited after the manifest was written is harmless.
 * A file unchanged since it was last hashed is not read again (see [Note: verified pack record]).
 */
export async function verifyPackChecksums(
  pack: ModelPack,
  verified: VerifiedFiles = VerifiedFiles.open(pack.dir),
): Promise<{ file: string; expected: string; actual: string }[]> {
  const needed = [pack.vision.path, pack.text.path, pack.tokenizer.path, pack.tokenizer.configPath]
    .filter((f): f is string => f !== undefined)
    .map((f) => path.relative(pack.dir, f).split(path.sep).join('/'));
  const mismatches: { file: string; expected: string; actual: string }[] = [];
  for (const file of needed) {
    const expected = pack.checksums[file];
    if (!expected) continue;
    const actual = await verified.sha256(path.join(pack.dir, file));
    if (actual !== expected) mismatches.push({ file, expected, actual });
  }
  return mismatches;
}
