import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRegistryPack, loadRegistry, registrySchema } from '../../app/models/registry.js';
import { tempDir } from '../helpers/cli.js';

describe('model registry', () => {
  it('the bundled registry is valid, names its default and downloads from Hugging Face over https', () => {
    const registry = loadRegistry();
    expect(findRegistryPack(registry, registry.default)?.id).toBe('clip-vit-b32-quantized');
    for (const pack of registry.packs) {
      expect(pack.files.some((f) => /vision_model(_quantized)?\.onnx$/.test(f.path))).toBe(true);
      expect(pack.files.some((f) => /text_model(_quantized)?\.onnx$/.test(f.path))).toBe(true);
      // Pinned to the commit whose LFS checksums the registry lists (or main where none is known).
      for (const file of pack.files) expect(file.url).toMatch(new RegExp(`^${pack.source}/resolve/(main|[0-9a-f]{40})/${file.path}$`));
    }
  });

  it('refuses pack files that would land outside the pack folder', () => {
    const registry = loadRegistry();
    const bad = structuredClone(registry);
    bad.packs[0]!.files[0]!.path = '../../evil.onnx';
    expect(registrySchema.safeParse(bad).success).toBe(false);
  });

  it('names the problem in an invalid registry file', () => {
    const file = path.join(tempDir('registry'), 'registry.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, default: 'missing', packs: [] }));
    expect(() => loadRegistry(file)).toThrow(/invalid model registry .*the default pack must be listed/);
  });
});
