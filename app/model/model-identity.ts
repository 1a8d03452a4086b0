import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelPack } from './pack-types.js';

/** sha256 of a file, streamed (model files are hundreds of MB). Native crypto: ~1 GB/s here. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Identity of a model for the catalog: its name plus the hash of its vision weights. Two packs with the
 * same weights share vectors; new weights under the same name get a new vec0 table (see
 * [Note: one vec0 table per model]). Uses the pack's declared checksum when it has one.
 */
export async function modelKey(pack: ModelPack): Promise<string> {
  const relative = path.relative(pack.dir, pack.vision.path).split(path.sep).join('/');
  const sha = pack.checksums[relative] ?? (await sha256File(pack.vision.path));
  return `${pack.name}#${sha.slice(0, 16)}`;
}

/**
 * Checks the files a model needs (ONNX, tokenizer, configs) against the checksums the pack declares.
 * Documentation files are not checked: a README edited after the manifest was written is harmless.
 */
export async function verifyPackChecksums(pack: ModelPack): Promise<{ file: string; expected: string; actual: string }[]> {
  const needed = [pack.vision.path, pack.text.path, pack.tokenizer.path, pack.tokenizer.configPath]
    .filter((f): f is string => f !== undefined)
    .map((f) => path.relative(pack.dir, f).split(path.sep).join('/'));
  const mismatches: { file: string; expected: string; actual: string }[] = [];
  for (const file of needed) {
    const expected = pack.checksums[file];
    if (!expected) continue;
    const actual = await sha256File(path.join(pack.dir, file));
    if (actual !== expected) mismatches.push({ file, expected, actual });
  }
  return mismatches;
}
