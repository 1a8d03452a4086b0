import fs from 'node:fs';
import { toFsPath } from '../util/fs-names.js';
import { loadExifr } from '../util/heavy-modules.js';
import { withStringPath } from '../util/string-path-alias.js';
import { sidecarPaths } from './xmp-write.js';
import { splitTagPath } from './vocabulary.js';

/**
 * Keywords a photo already carries, as tag paths (["Nature", "Beach"]): embedded XMP `dc:subject` and
 * `lr:hierarchicalSubject`, IPTC `Keywords`, and the same XMP fields in a `.xmp` sidecar next to the photo.
 * A hierarchical keyword replaces the flat ones it spells out, so "Nature|Beach" plus "Beach" and "Nature" is
 * one tag, not three. Unreadable metadata yields no keywords: it never fails the photo.
 */
export async function readKeywords(photoPath: string): Promise<string[][]> {
  const found: Record<string, unknown>[] = [];
  const exifr = await loadExifr(); // see [Note: heavy modules on first use]
  try {
    // A name that is not UTF-8 is read through an alias (see [Note: string-only tools]).
    const parse = (file: string) => exifr.parse(file, { xmp: true, iptc: true, tiff: false, mergeOutput: true });
    const embedded = (await withStringPath(photoPath, parse)) as Record<string, unknown> | undefined;
    if (embedded) found.push(embedded);
  } catch {
    // no or broken metadata: nothing to import
  }
  for (const sidecar of sidecarPaths(photoPath)) {
    if (!fs.existsSync(toFsPath(sidecar))) continue;
    const parsed = await readSidecar(sidecar);
    if (parsed) found.push(parsed);
  }
  return mergeKeywords(found);
}

/** The XMP fields of a sidecar file, or undefined when it cannot be read or parsed. */
export async function readSidecar(file: string): Promise<Record<string, unknown> | undefined> {
  const exifr = await loadExifr();
  try {
    const parsed = (await withStringPath(file, (name) => exifr.sidecar(name, { xmp: true }))) as Record<string, unknown> | undefined;
    return parsed ? flattenNamespaces(parsed) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * exifr returns a sidecar's fields at the top level when the packet uses one namespace, and grouped by
 * namespace prefix ({ dc: { subject }, lr: { hierarchicalSubject } }) when it uses several: flatten both.
 */
function flattenNamespaces(parsed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'xmlns') continue;
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, value);
    else out[key] = value;
  }
  return out;
}

/** Keywords of parsed metadata blocks as tag paths (see readKeywords). */
export function mergeKeywords(blocks: readonly Record<string, unknown>[]): string[][] {
  const hierarchical: string[][] = [];
  const flat: string[] = [];
  for (const block of blocks) {
    for (const value of listOf(block['hierarchicalSubject'])) hierarchical.push(splitTagPath(decodeEntities(value)));
    for (const value of listOf(block['subject'])) flat.push(decodeEntities(value).trim());
    for (const value of listOf(block['Keywords'])) flat.push(value.trim());
  }
  const out = new Map<string, string[]>();
  const covered = new Set<string>();
  for (const p of hierarchical) {
    if (p.length === 0) continue;
    out.set(p.join('|').toLowerCase(), p);
    for (const segment of p) covered.add(segment.toLowerCase());
  }
  for (const k of flat) {
    if (!k || covered.has(k.toLowerCase())) continue;
    out.set(k.toLowerCase(), [k]);
  }
  return [...out.values()];
}

/** exifr gives one keyword as a string and several as an array (of strings or numbers). */
function listOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => String(v)).filter((v) => v.trim().length > 0);
}

/** exifr hands XMP text over with its XML entities still escaped ("Beach &amp; Sea"). */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[name.toLowerCase()]!;
  });
}
