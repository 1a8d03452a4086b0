import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { cosine } from '../../app/util/vector.js';
import { TINY_CLIP } from '../helpers/fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-pack-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('model packs', () => {
  it('loads the tiny-clip folder unchanged', () => {
    const pack = loadModelPack(TINY_CLIP);
    expect(pack.layout).toBe('manifest');
    expect(pack.name).toBe('tiny-clip-synthetic');
    expect(pack.embeddingDim).toBe(64);
    expect(pack.preprocessing).toMatchObject({ resizeShortestEdge: 224, cropSize: 224, interpolation: 'bicubic' });
    expect(pack.tokenizer).toMatchObject({ contextLength: 77, bosId: 49406, eosId: 49407 });
    expect(pack.checksums['vision_model.onnx']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('loads the Hugging Face CLIP ONNX export layout and embeds the same as the original', async () => {
    const hf = path.join(tmp, 'clip-vit-hf');
    fs.mkdirSync(path.join(hf, 'onnx'), { recursive: true });
    fs.copyFileSync(path.join(TINY_CLIP, 'vision_model.onnx'), path.join(hf, 'onnx', 'vision_model.onnx'));
    fs.copyFileSync(path.join(TINY_CLIP, 'text_model.onnx'), path.join(hf, 'onnx', 'text_model.onnx'));
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json']) fs.copyFileSync(path.join(TINY_CLIP, f), path.join(hf, f));
    fs.writeFileSync(path.join(hf, 'config.json'), JSON.stringify({ _name_or_path: 'openai/clip-vit-base-patch32' }));

    const pack = loadModelPack(hf);
    expect(pack.layout).toBe('huggingface');
    expect(pack.name).toBe('openai/clip-vit-base-patch32');
    expect(pack.preprocessing).toMatchObject({ resizeShortestEdge: 224, cropSize: 224, interpolation: 'bicubic' });

    const a = new ClipModel(pack);
    const b = new ClipModel(loadModelPack(TINY_CLIP));
    const [x, y] = [await a.embedText('sunset over the beach'), await b.embedText('sunset over the beach')];
    await Promise.all([a.release(), b.release()]);
    expect(cosine(x.embedding, y.embedding)).toBeGreaterThan(0.99999);
  });

  it('refuses a folder that is not a pack, and a manifest naming an output the model lacks', async () => {
    expect(() => loadModelPack(tmp)).toThrow(/not a model pack/);
    expect(() => loadModelPack(path.join(tmp, 'nope'))).toThrow(/not found/);

    const bad = path.join(tmp, 'bad-output');
    fs.cpSync(TINY_CLIP, bad, { recursive: true, filter: (src) => !src.includes('reference') && !src.includes('samples') });
    const manifest = JSON.parse(fs.readFileSync(path.join(bad, 'manifest.json'), 'utf8'));
    manifest.text_model.outputs[0].name = 'pooler_output';
    fs.writeFileSync(path.join(bad, 'manifest.json'), JSON.stringify(manifest));
    const model = new ClipModel(loadModelPack(bad));
    await expect(model.embedText('a beach')).rejects.toThrow(/no output named pooler_output/);
  });
});
