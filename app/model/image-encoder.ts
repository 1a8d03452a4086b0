import * as ort from 'onnxruntime-node';
import { cropsToTensorData } from '../image/clip-preprocess.js';
import { rowsNormalized } from '../util/vector.js';
import type { ImagePreprocessing } from './pack-types.js';
import { pickEmbeddingOutput, pickInput, sessionIo } from './onnx-io.js';

/** CLIP vision tower: batches of RGB crops in, L2-normalized embeddings out. */
export class ClipImageEncoder {
  private readonly input: string;
  private readonly output: string;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly preprocessing: ImagePreprocessing,
    declared: { input?: string; output?: string; file: string },
  ) {
    const io = sessionIo(session);
    this.input = pickInput(io, declared.input, 'pixel_values', declared.file);
    if (io.inputs.size > 1) throw new Error(`${declared.file} needs inputs we cannot provide: ${[...io.inputs.keys()].join(', ')}`);
    this.output = pickEmbeddingOutput(io, declared.output, 'image_embeds', declared.file);
  }

  /** Embeds crops made by `clipCrop`; one batch, one inference run. */
  async embedCrops(crops: Buffer[]): Promise<Float32Array[]> {
    if (crops.length === 0) return [];
    const size = this.preprocessing.cropSize;
    const tensor = new ort.Tensor('float32', cropsToTensorData(crops, this.preprocessing), [crops.length, 3, size, size]);
    const result = await this.session.run({ [this.input]: tensor }, [this.output]);
    const out = result[this.output]!;
    return rowsNormalized(out.data as Float32Array, crops.length, out.dims[1]!);
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
