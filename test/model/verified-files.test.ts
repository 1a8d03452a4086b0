import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../../app/catalog/catalog.js';
import { ClipModel } from '../../app/model/clip-model.js';
import { loadModelPack } from '../../app/model/load-pack.js';
import { modelKey, verifyPackChecksums } from '../../app/model/model-identity.js';
import { sha256File } from '../../app/model/sha256-file.js';
import { VERIFIED_RECORD, VerifiedFiles } from '../../app/model/verified-files.js';
import { installModel } from '../../app/models/install.js';
import { loadRegistry } from '../../app/models/registry.js';
import { registerModel } from '../../app/models/switch-model.js';
import { tempDir } from '../helpers/cli.js';
import { TINY_CLIP } from '../helpers/fixtures.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) {
    fs.chmodSync(dir, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
const temp = (prefix: string) => {
  const dir = tempDir(prefix);
  made.push(dir);
  return dir;
};

/** A hasher that counts the bytes it reads: the proof that a file was (or was not) read again. */
function countingHasher() {
  const read = new Map<string, number>();
  const hasher = async (file: string) => {
    read.set(path.basename(file), (read.get(path.basename(file)) ?? 0) + fs.statSync(file).size);
    return sha256File(file);
  };
  return { hasher, read, bytes: () => [...read.values()].reduce((a, b) => a + b, 0), reset: () => read.clear() };
}

/** tiny-clip as it ships: a CLIP manifest declaring sha256 checksums. */
function manifestPack(): string {
  const dir = path.join(temp('verified-pack'), 'tiny-clip');
  fs.mkdirSync(dir);
  for (const f of ['manifest.json', 'vision_model.onnx', 'text_model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json']) {
    fs.copyFileSync(path.join(TINY_CLIP, f), path.join(dir, f));
  }
  return dir;
}

/** The same weights as a Hugging Face export: no checksums, no declared embedding size. */
function huggingFacePack(): string {
  const dir = path.join(temp('verified-hf'), 'clip-hf');
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  for (const part of ['vision_model', 'text_model']) fs.copyFileSync(path.join(TINY_CLIP, `${part}.onnx`), path.join(dir, 'onnx', `${part}.onnx`));
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'preprocessor_config.json']) fs.copyFileSync(path.join(TINY_CLIP, f), path.join(dir, f));
  return dir;
}

const needed = ['vision_model.onnx', 'text_model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
const sizeOf = (dir: string, files: string[]) => files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);

describe('verified pack record', () => {
  it('hashes a pack once: a second open (another library, another run) reads none of its files, and the identity is unchanged', async () => {
    const dir = manifestPack();
    const cacheDir = temp('verified-cache');
    const pack = loadModelPack(dir);
    const counter = countingHasher();

    const first = VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir });
    expect(await verifyPackChecksums(pack, first)).toEqual([]);
    expect(counter.bytes()).toBe(sizeOf(dir, needed));
    expect(fs.existsSync(path.join(dir, VERIFIED_RECORD))).toBe(true);

    counter.reset();
    const second = VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir });
    expect(await verifyPackChecksums(pack, second)).toEqual([]);
    expect(await modelKey(pack, second)).toBe(`tiny-clip-synthetic#${pack.checksums['vision_model.onnx']!.slice(0, 16)}`);
    expect(counter.bytes()).toBe(0);
  });

  it('keeps the measured identity of a pack without checksums, and measures it once', async () => {
    const dir = huggingFacePack();
    const cacheDir = temp('verified-cache');
    const pack = loadModelPack(dir);
    const expected = `${pack.name}#${crypto.createHash('sha256').update(fs.readFileSync(pack.vision.path)).digest('hex').slice(0, 16)}`;
    const counter = countingHasher();
    expect(await modelKey(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }))).toBe(expected);
    expect(counter.bytes()).toBe(fs.statSync(pack.vision.path).size);
    counter.reset();
    expect(await modelKey(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }))).toBe(expected);
    expect(counter.bytes()).toBe(0);
  });

  it('hashes a touched file again, and still refuses a damaged one even with its old size and mtime', async () => {
    const dir = manifestPack();
    const cacheDir = temp('verified-cache');
    const pack = loadModelPack(dir);
    const counter = countingHasher();
    await verifyPackChecksums(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }));

    const vision = path.join(dir, 'vision_model.onnx');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(vision, later, later);
    counter.reset();
    expect(await verifyPackChecksums(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }))).toEqual([]);
    expect([...counter.read]).toEqual([['vision_model.onnx', fs.statSync(vision).size]]);

    // One byte flipped in place, then size and mtime put back as they were: only ctime tells.
    const { mtime, atime } = fs.statSync(vision);
    const bytes = fs.readFileSync(vision);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    fs.writeFileSync(vision, bytes);
    fs.utimesSync(vision, atime, mtime);
    counter.reset();
    const mismatches = await verifyPackChecksums(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }));
    expect(mismatches.map((m) => m.file)).toEqual(['vision_model.onnx']);
    expect(counter.read.get('vision_model.onnx')).toBe(bytes.length);

    // The recorded (wrong) hash is refused again, with the error registering has always given.
    const catalog = Catalog.open(temp('verified-lib'));
    const model = new ClipModel(pack);
    await expect(registerModel(catalog, model, VerifiedFiles.open(dir, { cacheDir }))).rejects.toThrow(
      `model pack ${dir} is damaged: checksum mismatch for vision_model.onnx`,
    );
    catalog.close();
    await model.release();
  });

  it('a new library trusts the record the first library left (registering reads no file and opens no text session)', async () => {
    const dir = huggingFacePack();
    const cacheDir = temp('verified-cache');
    const pack = loadModelPack(dir);
    const first = Catalog.open(temp('verified-lib'));
    const firstModel = new ClipModel(pack);
    const { record } = await registerModel(first, firstModel, VerifiedFiles.open(dir, { cacheDir }));
    expect(firstModel.activeProviders.text).toBeDefined(); // the embedding size was measured once
    first.close();
    await firstModel.release();

    const counter = countingHasher();
    const second = Catalog.open(temp('verified-lib'));
    const secondModel = new ClipModel(pack);
    const again = await registerModel(second, secondModel, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }));
    expect(again.record).toMatchObject({ key: record.key, dim: record.dim });
    expect(counter.bytes()).toBe(0);
    expect(secondModel.activeProviders.text).toBeUndefined();
    second.close();

    // With the default record location (the pack folder): a recorded hash is what the next library uses.
    const recordFile = path.join(dir, VERIFIED_RECORD);
    const stored = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as { files: Record<string, { sha256: string }> };
    stored.files['onnx/vision_model.onnx']!.sha256 = 'e'.repeat(64);
    fs.writeFileSync(recordFile, JSON.stringify(stored));
    const third = Catalog.open(temp('verified-lib'));
    expect((await registerModel(third, secondModel)).record.key).toBe(`${pack.name}#${'e'.repeat(16)}`);
    third.close();
  });

  it('keeps the record of a read-only pack in the per-user cache; with nowhere to write, verifies every time', async () => {
    const dir = manifestPack();
    const cacheDir = temp('verified-cache');
    const pack = loadModelPack(dir);
    fs.chmodSync(dir, 0o555);
    const counter = countingHasher();
    await verifyPackChecksums(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }));
    expect(fs.existsSync(path.join(dir, VERIFIED_RECORD))).toBe(false);
    const cached = fs.readdirSync(path.join(cacheDir, 'verified-packs'));
    expect(cached).toHaveLength(1);
    expect(JSON.parse(fs.readFileSync(path.join(cacheDir, 'verified-packs', cached[0]!), 'utf8'))).toMatchObject({ dir: fs.realpathSync(dir) });
    counter.reset();
    await verifyPackChecksums(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir }));
    expect(counter.bytes()).toBe(0);

    const nowhere = path.join(temp('verified-file'), 'a-file');
    fs.writeFileSync(nowhere, ''); // a cache "folder" under a plain file cannot be made, even by root
    for (let run = 0; run < 2; run++) {
      counter.reset();
      expect(await verifyPackChecksums(pack, VerifiedFiles.open(dir, { hasher: counter.hasher, cacheDir: path.join(nowhere, 'cache') }))).toEqual([]);
      expect(counter.bytes()).toBe(sizeOf(dir, needed));
    }
  });

  it('model install leaves the record in the installed pack: registering it reads no file', async () => {
    const library = temp('verified-install');
    const result = await installModel(library, huggingFacePack(), { registry: loadRegistry() });
    const stored = JSON.parse(fs.readFileSync(path.join(result.dir, VERIFIED_RECORD), 'utf8')) as { files: Record<string, { embeddingDim?: number }> };
    expect(Object.keys(stored.files).sort()).toEqual(['onnx/text_model.onnx', 'onnx/vision_model.onnx', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect(stored.files['onnx/text_model.onnx']!.embeddingDim).toBe(64);

    const counter = countingHasher();
    const catalog = Catalog.open(library);
    const model = new ClipModel(loadModelPack(result.dir));
    await registerModel(catalog, model, VerifiedFiles.open(result.dir, { hasher: counter.hasher, cacheDir: temp('verified-cache') }));
    expect(counter.bytes()).toBe(0);
    expect(model.activeProviders.text).toBeUndefined();
    catalog.close();
  });
});
