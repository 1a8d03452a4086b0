import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { inPlaceGraphPath, modelFileToOpen } from '../../app/model/weights-in-place.js';
import { TINY_CLIP } from '../helpers/fixtures.js';

// See [Note: weights read in place]. tiny-clip is below the size the app bothers with: minBytes 0 here.
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function copyOf(file: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-in-place-'));
  dirs.push(dir);
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  return copy;
}

async function embed(file: string, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(file, { logSeverityLevel: 4 });
  try {
    const out = await session.run(feeds);
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('weights read in place', () => {
  it('opens a graph beside the model whose weights are the model file’s own bytes: identical embeddings', async () => {
    const vision = copyOf(path.join(TINY_CLIP, 'vision_model.onnx'));
    const text = copyOf(path.join(TINY_CLIP, 'text_model.onnx'));
    const pixels = new Float32Array(2 * 3 * 224 * 224).map((_, i) => Math.sin(i * 0.37));
    const ids = BigInt64Array.from([49406n, 320n, 1125n, 530n, 518n, 2867n, 49407n]);
    for (const [file, feeds] of [
      [vision, { pixel_values: new ort.Tensor('float32', pixels, [2, 3, 224, 224]) }],
      [text, { input_ids: new ort.Tensor('int64', ids, [1, ids.length]) }],
    ] as const) {
      const graph = modelFileToOpen(file, 0);
      expect(graph).toBe(inPlaceGraphPath(file));
      expect(path.dirname(graph)).toBe(path.dirname(file));
      expect(path.basename(graph).startsWith('.')).toBe(true); // hidden: installs and listings skip it
      // The weights stay in the model file: the graph is a small fraction of it.
      expect(fs.statSync(graph).size).toBeLessThan(fs.statSync(file).size / 4);
      expect(Array.from(await embed(graph, feeds))).toEqual(Array.from(await embed(file, feeds)));
    }
  });

  it('reuses a current graph and rebuilds it when the model file changes', async () => {
    const model = copyOf(path.join(TINY_CLIP, 'text_model.onnx'));
    const graph = modelFileToOpen(model, 0);
    const first = fs.readFileSync(graph);
    const writtenAt = fs.statSync(graph, { bigint: true }).mtimeNs;
    expect(modelFileToOpen(model, 0)).toBe(graph);
    expect(fs.statSync(graph, { bigint: true }).mtimeNs).toBe(writtenAt); // current: not written again
    // The model rewritten in place with its old mtime put back: its ctime still moves, so the graph is rebuilt.
    const { atime, mtime } = fs.statSync(model);
    fs.copyFileSync(path.join(TINY_CLIP, 'text_model.onnx'), model);
    fs.utimesSync(model, atime, mtime);
    expect(modelFileToOpen(model, 0)).toBe(graph);
    expect(fs.readFileSync(graph).equals(first)).toBe(false);
    const ids = new ort.Tensor('int64', BigInt64Array.from([49406n, 320n, 49407n]), [1, 3]);
    expect(Array.from(await embed(graph, { input_ids: ids }))).toEqual(Array.from(await embed(model, { input_ids: ids })));
  });

  it('opens the model itself when it is small or its graph cannot be written', () => {
    const model = copyOf(path.join(TINY_CLIP, 'text_model.onnx'));
    expect(modelFileToOpen(model)).toBe(model); // below IN_PLACE_MIN_BYTES
    fs.mkdirSync(inPlaceGraphPath(model)); // what a read-only folder amounts to, even for root
    expect(modelFileToOpen(model, 0)).toBe(model);
    expect(fs.readdirSync(path.dirname(model)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
