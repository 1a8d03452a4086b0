import fs from 'node:fs';
import path from 'node:path';
import type { ModelPack } from '../model/pack-types.js';

/** OpenAI's trained CLIP models all end at the clamp of 100 (exp of the learned temperature). */
const CLIP_DEFAULT_LOGIT_SCALE = 100;

/**
 * The model's learned logit scale, which turns cosines into CLIP's zero-shot probabilities (see
 * [Note: tag acceptance]). tiny-clip style packs state it in manifest.json; HF exports only give the initial
 * value in config.json, which is not the trained one, so those fall back to CLIP's 100.
 */
export function logitScaleOf(pack: ModelPack): number {
  for (const file of ['shoebox-model.json', 'manifest.json']) {
    try {
      const json = JSON.parse(fs.readFileSync(path.join(pack.dir, file), 'utf8')) as { logit_scale?: unknown; logitScale?: unknown };
      const value = Number(json.logit_scale ?? json.logitScale);
      if (Number.isFinite(value) && value > 0) return value;
    } catch {
      // absent or unreadable: try the next file
    }
  }
  return CLIP_DEFAULT_LOGIT_SCALE;
}
