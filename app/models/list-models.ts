import path from 'node:path';
import { listInstalledPacks } from './install.js';
import type { Registry } from './registry.js';

/** One row of `model list`: a registry pack, an installed pack, or both. Field names are a CLI/API contract. */
export interface ModelListing {
  id: string;
  title: string | null;
  installed: boolean;
  /** The pack the library searches with now. */
  active: boolean;
  /** The registry's default pack. */
  default: boolean;
  dir: string | null;
  approxBytes: number | null;
  languages: string[];
  embeddingDim: number | null;
  imagenetZeroShotTop1: number | null;
  licence: string | null;
  source: string | null;
}

/** Registry packs first (in registry order), then packs installed from a folder or zip. */
export function listModels(libraryDir: string, registry: Registry, activeDir: string | undefined): ModelListing[] {
  const installed = new Map(listInstalledPacks(libraryDir).map((p) => [p.id, p]));
  const active = activeDir ? path.resolve(activeDir) : undefined;
  const rows: ModelListing[] = registry.packs.map((p) => {
    const local = installed.get(p.id);
    return {
      id: p.id,
      title: p.title,
      installed: local !== undefined,
      active: local !== undefined && path.resolve(local.dir) === active,
      default: p.id === registry.default,
      dir: local?.dir ?? null,
      approxBytes: p.approxBytes,
      languages: p.languages,
      embeddingDim: p.embeddingDim,
      imagenetZeroShotTop1: p.imagenetZeroShotTop1,
      licence: p.licence,
      source: p.source,
    };
  });
  const listed = new Set(rows.map((r) => r.id));
  for (const local of installed.values()) {
    if (listed.has(local.id)) continue;
    rows.push({
      id: local.id,
      title: null,
      installed: true,
      active: path.resolve(local.dir) === active,
      default: false,
      dir: local.dir,
      approxBytes: null,
      languages: [],
      embeddingDim: null,
      imagenetZeroShotTop1: null,
      licence: null,
      source: local.record?.origin ?? null,
    });
  }
  return rows;
}
