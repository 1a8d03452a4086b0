/**
 * [Note: model pack layouts]
 * A model pack, whatever layout it came in: our own `shoebox-model.json`, the tiny-clip style `manifest.json`,
 * or the public Hugging Face CLIP ONNX export (`onnx/vision_model.onnx`, `onnx/text_model.onnx`,
 * `tokenizer.json`, `preprocessor_config.json`). Every loader produces this one shape.
 */
export type Interpolation = 'bicubic' | 'bilinear' | 'nearest';

export interface ImagePreprocessing {
  /** Shortest side is resized to this, keeping the aspect ratio (CLIP's `shortest_edge`). */
  resizeShortestEdge: number;
  /** Square center crop taken after the resize. */
  cropSize: number;
  interpolation: Interpolation;
  /** Multiplier from 0–255 to the model's range before mean/std (CLIP: 1/255). */
  rescale: number;
  mean: [number, number, number];
  std: [number, number, number];
}

export interface OnnxPart {
  /** Absolute path of the ONNX file. */
  path: string;
  /** Input/output names the pack declares; the loader checks them against the session's own. */
  input?: string;
  output?: string;
}

export interface TokenizerSpec {
  /** Absolute path of a Hugging Face `tokenizer.json`. */
  path: string;
  /** Absolute path of `tokenizer_config.json` when the pack has one. */
  configPath?: string;
  contextLength: number;
  bosId: number;
  eosId: number;
  padId: number;
}

export interface ModelPack {
  /** Human name, e.g. "tiny-clip-synthetic" or "openai/clip-vit-base-patch32". */
  name: string;
  /** Folder the pack was read from. */
  dir: string;
  layout: 'shoebox' | 'manifest' | 'huggingface';
  vision: OnnxPart;
  text: OnnxPart;
  tokenizer: TokenizerSpec;
  preprocessing: ImagePreprocessing;
  /** Declared embedding size; the session's output shape is authoritative when the pack does not say. */
  embeddingDim?: number;
  /** sha256 (hex) per file, relative to `dir`, where the pack declares them. */
  checksums: Record<string, string>;
}
