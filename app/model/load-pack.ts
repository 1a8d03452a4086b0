import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../util/errors.js';
import type { ImagePreprocessing, Interpolation, ModelPack, TokenizerSpec } from './pack-types.js';
import {
  clipManifestSchema,
  hfPreprocessorSchema,
  shoeboxManifestSchema,
  type ClipManifest,
  type HfPreprocessor,
  type ShoeboxManifest,
} from './pack-schemas.js';

/**
 * Reads a model pack folder in any of the layouts we accept (see [Note: model pack layouts] in pack-types.ts):
 * our `shoebox-model.json`, a tiny-clip style `manifest.json`, or a Hugging Face CLIP ONNX export.
 * Only reads small JSON files; ONNX sessions are opened later, lazily.
 */
export function loadModelPack(dir: string): ModelPack {
  const root = path.resolve(dir);
  if (!isDirectory(root)) throw new UserError(`model folder not found: ${root}`);

  const shoebox = path.join(root, 'shoebox-model.json');
  if (fs.existsSync(shoebox)) return fromShoeboxManifest(root, parseJson(shoebox, shoeboxManifestSchema.parse));

  const manifest = path.join(root, 'manifest.json');
  if (fs.existsSync(manifest)) {
    const parsed = clipManifestSchema.safeParse(readJson(manifest));
    if (parsed.success) return fromClipManifest(root, parsed.data);
  }

  if (fs.existsSync(path.join(root, 'onnx'))) return fromHuggingFace(root);

  throw new UserError(
    `not a model pack: ${root} (expected shoebox-model.json, a CLIP manifest.json, or onnx/vision_model.onnx + onnx/text_model.onnx)`,
  );
}

function fromShoeboxManifest(root: string, m: ShoeboxManifest): ModelPack {
  const tokenizerConfig = m.tokenizer.config ? path.join(root, m.tokenizer.config) : undefined;
  return {
    name: m.name,
    dir: root,
    layout: 'shoebox',
    vision: part(root, m.vision.file, m.vision.input, m.vision.output),
    text: part(root, m.text.file, m.text.input, m.text.output),
    tokenizer: {
      path: requireFile(root, m.tokenizer.file),
      ...(tokenizerConfig ? { configPath: tokenizerConfig } : {}),
      contextLength: m.tokenizer.contextLength,
      bosId: m.tokenizer.bosId,
      eosId: m.tokenizer.eosId,
      padId: m.tokenizer.padId ?? m.tokenizer.eosId,
    },
    preprocessing: { ...m.preprocessing },
    ...(m.embeddingDim ? { embeddingDim: m.embeddingDim } : {}),
    checksums: m.checksums,
  };
}

function fromClipManifest(root: string, m: ClipManifest): ModelPack {
  const pre = m.image_preprocessing;
  const checksums: Record<string, string> = {};
  for (const [file, info] of Object.entries(m.files ?? {})) checksums[file] = info.sha256;
  const eos = m.eos_token_id ?? 49407;
  return {
    name: m.name,
    dir: root,
    layout: 'manifest',
    vision: part(root, m.vision_model.file, m.vision_model.inputs?.[0]?.name, m.vision_model.outputs?.[0]?.name),
    text: part(root, m.text_model.file, m.text_model.inputs?.[0]?.name, m.text_model.outputs?.[0]?.name),
    tokenizer: tokenizerSpec(root, m.context_length ?? 77, m.bos_token_id ?? 49406, eos),
    preprocessing: {
      resizeShortestEdge: pre.resize_shortest_edge,
      cropSize: pre.center_crop,
      interpolation: interpolationFromName(pre.resample ?? 'bicubic'),
      rescale: pre.rescale ?? 1 / 255,
      mean: pre.image_mean,
      std: pre.image_std,
    },
    ...(m.embed_dim ? { embeddingDim: m.embed_dim } : {}),
    checksums,
  };
}

/**
 * Hugging Face / transformers.js export. Several precisions may sit side by side in `onnx/`
 * (`vision_model.onnx`, `vision_model_quantized.onnx`, `vision_model_fp16.onnx`…): full precision is
 * preferred, then the others in a fixed order, so the choice never depends on directory order.
 */
function fromHuggingFace(root: string): ModelPack {
  const onnxDir = path.join(root, 'onnx');
  const pick = (stem: string): string => {
    for (const suffix of ['', '_fp16', '_quantized', '_int8', '_uint8', '_q4', '_bnb4']) {
      const file = path.join(onnxDir, `${stem}${suffix}.onnx`);
      if (fs.existsSync(file)) return file;
    }
    throw new UserError(`model pack ${root} has no onnx/${stem}.onnx`);
  };
  const preprocessorFile = requireFile(root, 'preprocessor_config.json');
  const pre = parseJson(preprocessorFile, hfPreprocessorSchema.parse);
  let name = path.basename(root);
  const configFile = path.join(root, 'config.json');
  if (fs.existsSync(configFile)) {
    const config = readJson(configFile) as { _name_or_path?: unknown };
    if (typeof config._name_or_path === 'string' && config._name_or_path) name = config._name_or_path;
  }
  return {
    name,
    dir: root,
    layout: 'huggingface',
    vision: { path: pick('vision_model') },
    text: { path: pick('text_model') },
    tokenizer: tokenizerSpec(root, 77, 49406, 49407),
    preprocessing: preprocessingFromHf(pre),
    checksums: {},
  };
}

function preprocessingFromHf(pre: HfPreprocessor): ImagePreprocessing {
  const sizeField = pre.size as number | { shortest_edge?: number; height?: number; width?: number };
  const size =
    typeof sizeField === 'number' ? sizeField : (sizeField.shortest_edge ?? Math.min(sizeField.height ?? 224, sizeField.width ?? 224));
  const cropField = pre.crop_size as number | { height: number } | undefined;
  const crop = cropField === undefined ? size : typeof cropField === 'number' ? cropField : cropField.height;
  // PIL resample codes: 0 nearest, 2 bilinear, 3 bicubic.
  const interpolation: Interpolation = pre.resample === 0 ? 'nearest' : pre.resample === 2 ? 'bilinear' : 'bicubic';
  return { resizeShortestEdge: size, cropSize: crop, interpolation, rescale: pre.rescale_factor ?? 1 / 255, mean: pre.image_mean, std: pre.image_std };
}

function tokenizerSpec(root: string, contextLength: number, bosId: number, eosId: number): TokenizerSpec {
  const configPath = path.join(root, 'tokenizer_config.json');
  let padId = eosId;
  if (fs.existsSync(configPath)) {
    const config = readJson(configPath) as { model_max_length?: unknown };
    if (typeof config.model_max_length === 'number' && config.model_max_length <= 1024) contextLength = config.model_max_length;
    // CLIP's tokenizer_config names <|endoftext|> as the pad token; HF exports pad with it, OpenAI with 0.
    // Both give the same embedding (pooling is at the first end token), so we pad with the end token.
    padId = eosId;
  }
  return {
    path: requireFile(root, 'tokenizer.json'),
    ...(fs.existsSync(configPath) ? { configPath } : {}),
    contextLength,
    bosId,
    eosId,
    padId,
  };
}

function interpolationFromName(name: string): Interpolation {
  const lower = name.toLowerCase();
  if (lower.includes('bilinear')) return 'bilinear';
  if (lower.includes('nearest')) return 'nearest';
  return 'bicubic';
}

function part(root: string, file: string, input: string | undefined, output: string | undefined) {
  return { path: requireFile(root, file), ...(input ? { input } : {}), ...(output ? { output } : {}) };
}

function requireFile(root: string, relative: string): string {
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep)) throw new UserError(`model pack file escapes its folder: ${relative}`);
  if (!fs.existsSync(file)) throw new UserError(`model pack ${root} is missing ${relative}`);
  return file;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseJson<T>(file: string, parse: (value: unknown) => T): T {
  try {
    return parse(readJson(file));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`invalid ${path.basename(file)} in ${path.dirname(file)}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
}
