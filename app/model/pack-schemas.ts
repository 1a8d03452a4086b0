import { z } from 'zod';

/**
 * Schemas of the files a pack can carry. They only describe what we read; unknown keys are allowed so that
 * upstream files with extra fields still load unchanged.
 */
const triple = z.tuple([z.number(), z.number(), z.number()]);

/** Our own manifest: `shoebox-model.json`. */
export const shoeboxManifestSchema = z.object({
  format: z.literal('shoebox-model/1'),
  name: z.string().min(1),
  vision: z.object({ file: z.string(), input: z.string().optional(), output: z.string().optional() }),
  text: z.object({ file: z.string(), input: z.string().optional(), output: z.string().optional() }),
  tokenizer: z.object({
    file: z.string(),
    config: z.string().optional(),
    contextLength: z.number().int().positive().default(77),
    bosId: z.number().int().default(49406),
    eosId: z.number().int().default(49407),
    padId: z.number().int().optional(),
  }),
  preprocessing: z.object({
    resizeShortestEdge: z.number().int().positive(),
    cropSize: z.number().int().positive(),
    interpolation: z.enum(['bicubic', 'bilinear', 'nearest']).default('bicubic'),
    rescale: z.number().positive().default(1 / 255),
    mean: triple,
    std: triple,
  }),
  embeddingDim: z.number().int().positive().optional(),
  checksums: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).default({}),
});
export type ShoeboxManifest = z.infer<typeof shoeboxManifestSchema>;

const tensorSpec = z.object({ name: z.string() }).loose();

/** The tiny-clip style `manifest.json` (also what our own export tooling used to write). */
export const clipManifestSchema = z
  .object({
    name: z.string(),
    embed_dim: z.number().int().positive().optional(),
    context_length: z.number().int().positive().optional(),
    bos_token_id: z.number().int().optional(),
    eos_token_id: z.number().int().optional(),
    vision_model: z.object({ file: z.string(), inputs: z.array(tensorSpec).optional(), outputs: z.array(tensorSpec).optional() }).loose(),
    text_model: z.object({ file: z.string(), inputs: z.array(tensorSpec).optional(), outputs: z.array(tensorSpec).optional() }).loose(),
    image_preprocessing: z
      .object({
        resize_shortest_edge: z.number().int().positive(),
        center_crop: z.number().int().positive(),
        resample: z.string().optional(),
        rescale: z.number().optional(),
        image_mean: triple,
        image_std: triple,
      })
      .loose(),
    tokenizer: z.string().optional(),
    files: z.record(z.string(), z.object({ sha256: z.string() }).loose()).optional(),
  })
  .loose();
export type ClipManifest = z.infer<typeof clipManifestSchema>;

/** Hugging Face `preprocessor_config.json` of a CLIPImageProcessor. */
export const hfPreprocessorSchema = z
  .object({
    size: z.union([z.number(), z.object({ shortest_edge: z.number() }).loose(), z.object({ height: z.number(), width: z.number() }).loose()]),
    crop_size: z.union([z.number(), z.object({ height: z.number(), width: z.number() }).loose()]).optional(),
    resample: z.number().int().optional(),
    rescale_factor: z.number().optional(),
    image_mean: triple,
    image_std: triple,
  })
  .loose();
export type HfPreprocessor = z.infer<typeof hfPreprocessorSchema>;
