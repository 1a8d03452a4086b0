import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../util/errors.js';
import { resourcePath } from '../util/app-root.js';

/**
 * [Note: model registry]
 * `resources/models/registry.json` lists the packs Shoebox can download: each file's URL, and its size and
 * sha256 where they are published (a Hugging Face LFS oid is the file's sha256). Unknown values are null:
 * such a file is checked only by the functional self-check, and its measured sha256 is recorded in the
 * installed pack (see install.ts) so later verifications have something to compare against.
 * Sources, licences and the choice of default are explained in docs/models.md.
 */
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lower-case hex digits');

export const registryFileSchema = z.object({
  /** Path inside the pack folder, with forward slashes. */
  path: z
    .string()
    .min(1)
    .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'a pack file path stays inside the pack'),
  url: z.string().url(),
  bytes: z.number().int().nonnegative().nullable(),
  sha256: sha256Schema.nullable(),
});

export const registryPackSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'a pack id is lower-case letters, digits, dot, dash or underscore'),
  title: z.string(),
  description: z.string(),
  /** Where the files are downloaded from, and the model they were exported from. */
  source: z.string().url(),
  upstream: z.string().url().optional(),
  licence: z.string(),
  languages: z.array(z.string()),
  embeddingDim: z.number().int().positive(),
  /** Published zero-shot ImageNet-1k top-1 accuracy, in percent. */
  imagenetZeroShotTop1: z.number().nullable(),
  approxBytes: z.number().int().positive(),
  files: z.array(registryFileSchema).min(1),
});

export const registrySchema = z
  .object({
    version: z.literal(1),
    default: z.string(),
    packs: z.array(registryPackSchema),
  })
  .refine((r) => r.packs.some((p) => p.id === r.default), 'the default pack must be listed')
  .refine((r) => new Set(r.packs.map((p) => p.id)).size === r.packs.length, 'pack ids must be unique');

export type RegistryFile = z.infer<typeof registryFileSchema>;
export type RegistryPack = z.infer<typeof registryPackSchema>;
export type Registry = z.infer<typeof registrySchema>;

export const BUNDLED_REGISTRY = resourcePath('models', 'registry.json');

/** Reads and validates a registry file (the bundled one unless another is given, e.g. by tests or a mirror). */
export function loadRegistry(file: string = BUNDLED_REGISTRY): Registry {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`cannot read model registry ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = registrySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`invalid model registry ${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown error'}`);
  }
  return parsed.data;
}

export function findRegistryPack(registry: Registry, id: string): RegistryPack | undefined {
  return registry.packs.find((p) => p.id === id);
}
