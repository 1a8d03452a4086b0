import fs from 'node:fs';

/**
 * The dynamic symbols of an ELF64 shared object (.dynsym, named from the string table it links to): what the
 * dynamic linker sees, so what an addon exports to Node and what it needs from the process. A small reader
 * rather than `readelf`/`nm`, which a test machine need not have. Little-endian only (x86-64, arm64 Linux).
 */
export interface DynamicSymbols {
  /** Defined here and visible to others (global or weak binding, default or protected visibility). */
  exports: string[];
  /** Undefined here: resolved from the process or the libraries this one needs. */
  imports: string[];
}

const ELF_MAGIC = 0x464c457f; // "\x7fELF" read little-endian
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const SHT_DYNSYM = 11;
const SECTION_HEADER_SIZE = 64;
const SYMBOL_SIZE = 24;
const STB_GLOBAL = 1;
const STB_WEAK = 2;
const STV_HIDDEN = 2;
const STV_INTERNAL = 1;
const SHN_UNDEF = 0;

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
  entrySize: number;
}

function sectionAt(buf: Buffer, at: number): Section {
  return {
    type: buf.readUInt32LE(at + 4),
    offset: Number(buf.readBigUInt64LE(at + 24)),
    size: Number(buf.readBigUInt64LE(at + 32)),
    link: buf.readUInt32LE(at + 40),
    entrySize: Number(buf.readBigUInt64LE(at + 56)),
  };
}

function stringAt(buf: Buffer, table: Section, offset: number): string {
  const start = table.offset + offset;
  const end = buf.indexOf(0, start);
  if (offset >= table.size || end < 0 || end > table.offset + table.size) throw new Error(`string offset ${offset} outside the string table`);
  return buf.toString('latin1', start, end);
}

export function readDynamicSymbols(file: string): DynamicSymbols {
  const buf = fs.readFileSync(file);
  if (buf.length < 64 || buf.readUInt32LE(0) !== ELF_MAGIC) throw new Error(`${file} is not an ELF file`);
  if (buf[4] !== ELFCLASS64 || buf[5] !== ELFDATA2LSB) throw new Error(`${file} is not a little-endian ELF64 file`);
  const sectionsAt = Number(buf.readBigUInt64LE(0x28));
  const headerSize = buf.readUInt16LE(0x3a);
  const count = buf.readUInt16LE(0x3c);
  if (headerSize !== SECTION_HEADER_SIZE || sectionsAt + count * headerSize > buf.length) throw new Error(`${file}: bad section header table`);
  const sections = Array.from({ length: count }, (_, i) => sectionAt(buf, sectionsAt + i * headerSize));

  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  if (!dynsym) throw new Error(`${file} has no .dynsym section`);
  const strings = sections[dynsym.link];
  if (!strings || dynsym.entrySize !== SYMBOL_SIZE) throw new Error(`${file}: bad .dynsym section`);

  const symbols: DynamicSymbols = { exports: [], imports: [] };
  // Entry 0 is the reserved null symbol.
  for (let at = dynsym.offset + SYMBOL_SIZE; at + SYMBOL_SIZE <= dynsym.offset + dynsym.size; at += SYMBOL_SIZE) {
    const name = stringAt(buf, strings, buf.readUInt32LE(at));
    if (!name) continue;
    const binding = buf[at + 4]! >> 4;
    const visibility = buf[at + 5]! & 0x3;
    const sectionIndex = buf.readUInt16LE(at + 6);
    if (sectionIndex === SHN_UNDEF) symbols.imports.push(name);
    else if ((binding === STB_GLOBAL || binding === STB_WEAK) && visibility !== STV_HIDDEN && visibility !== STV_INTERNAL) symbols.exports.push(name);
  }
  return symbols;
}
