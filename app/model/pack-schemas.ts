import * as z from 'zod/mini';

/**
 * [Note: pack schemas in zod mini]
 * zod's mini build, bundled (electron.vite.config.ts): a CLI search reads the pack before anything else, to start
 * its tokenizer thread, and the classic build's import alone took 110-140 ms of that (its whole API is built on
 * import); the mini build's functions are tree-shaken to what these schemas use, read in ~1 ms.
 *
 * Schemas of the files a pack can carry. They only describe what we read; unknown keys are allowed so that
 * upstream files with extra fields still load unchanged.
 */
const triple = z.tuple([z.number(), z.number(), z.number()]);
const int = () => z.number().check(z.int());
const positiveInt = () => z.number().check(z.int(), z.positive());

/** Our own manifest: `shoebox-model.json`. */
export const shoeboxManifestSchema = z.object({
  format: z.literal('shoebox-model/1'),
  name: z.string().check(z.minLength(1)),
  vision: z.object({ file: z.string(), input: z.optional(z.string()), output: z.optional(z.string()) }),
  text: z.object({ file: z.string(), input: z.optional(z.string()), output: z.optional(z.string()) }),
  tokenizer: z.object({
    file: z.string(),
    config: z.optional(z.string()),
    contextLength: z._default(positiveInt(), 77),
    bosId: z._default(int(), 49406),
    eosId: z._default(int(), 49407),
    padId: z.optional(int()),
  }),
  preprocessing: z.object({
    resizeShortestEdge: positiveInt(),
    cropSize: positiveInt(),
    interpolation: z._default(z.enum(['bicubic', 'bilinear', 'nearest']), 'bicubic'),
    rescale: z._default(z.number().check(z.positive()), 1 / 255),
    mean: triple,
    std: triple,
  }),
  embeddingDim: z.optional(positiveInt()),
  checksums: z._default(z.record(z.string(), z.string().check(z.regex(/^[0-9a-f]{64}$/))), {}),
});
export type ShoeboxManifest = z.infer<typeof shoeboxManifestSchema>;

const tensorSpec = z.looseObject({ name: z.string() });

/** The tiny-clip style `manifest.json` (also what our own export tooling used to write). */
export const clipManifestSchema = z.looseObject({
  name: z.string(),
  embed_dim: z.optional(positiveInt()),
  context_length: z.optional(positiveInt()),
  bos_token_id: z.optional(int()),
  eos_token_id: z.optional(int()),
  vision_model: z.looseObject({ file: z.string(), inputs: z.optional(z.array(tensorSpec)), outputs: z.optional(z.array(tensorSpec)) }),
  text_model: z.looseObject({ file: z.string(), inputs: z.optional(z.array(tensorSpec)), outputs: z.optional(z.array(tensorSpec)) }),
  image_preprocessing: z.looseObject({
    resize_shortest_edge: positiveInt(),
    center_crop: positiveInt(),
    resample: z.optional(z.string()),
    rescale: z.optional(z.number()),
    image_mean: triple,
    image_std: triple,
  }),
  tokenizer: z.optional(z.string()),
  files: z.optional(z.record(z.string(), z.looseObject({ sha256: z.string() }))),
});
export type ClipManifest = z.infer<typeof clipManifestSchema>;

/** Hugging Face `preprocessor_config.json` of a CLIPImageProcessor. */
export const hfPreprocessorSchema = z.looseObject({
  size: z.union([z.number(), z.looseObject({ shortest_edge: z.number() }), z.looseObject({ height: z.number(), width: z.number() })]),
  crop_size: z.optional(z.union([z.number(), z.looseObject({ height: z.number(), width: z.number() })])),
  resample: z.optional(int()),
  rescale_factor: z.optional(z.number()),
  image_mean: triple,
  image_std: triple,
});
export type HfPreprocessor = z.infer<typeof hfPreprocessorSchema>;
