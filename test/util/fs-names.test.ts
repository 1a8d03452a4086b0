import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayName, fromFsBytes, hasRawBytes, toFsBytes, toFsPath } from '../../app/util/fs-names.js';
import { tempDir } from '../helpers/cli.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('file names that are not UTF-8 (see [Note: file names that are not UTF-8])', () => {
  const dir = tempDir('fs-names');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('leaves valid UTF-8 as it is and needs no Buffer for it', () => {
    for (const name of ['IMG_0001.JPG', 'café 🌅 beach.jpg', '日本語.png', '\uFFFD.jpg']) {
      expect(fromFsBytes(Buffer.from(name))).toBe(name);
      expect(hasRawBytes(name)).toBe(false);
      expect(toFsPath(name)).toBe(name);
      expect(displayName(name)).toBe(name);
    }
  });

  it('escapes each invalid byte as one code point and shows it as Windows-1252', () => {
    const latin1 = bytes('caf', [0xe9], '.jpg');
    const s = fromFsBytes(latin1);
    expect(s).toBe('caf\u{10FFE9}.jpg');
    expect(hasRawBytes(s)).toBe(true);
    expect(toFsBytes(s).equals(latin1)).toBe(true);
    expect(Buffer.isBuffer(toFsPath(s))).toBe(true);
    expect(path.extname(s)).toBe('.jpg');
    expect(displayName(s)).toBe('café.jpg');
    expect(displayName(fromFsBytes(bytes([0x80, 0x81, 0x9f, 0xff])))).toBe('€\uFFFDŸÿ');
  });

  it('round-trips every byte string exactly: random names, truncated sequences, overlongs, surrogates, and the escape code points themselves', () => {
    const cases: Buffer[] = [
      bytes([0xe2, 0x82]), // truncated €
      bytes([0xc0, 0xaf]), // overlong '/'
      bytes([0xed, 0xa0, 0x80]), // UTF-8 of a surrogate
      bytes([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
      bytes('x', [0xf4, 0x8f, 0xbe, 0x80], 'y'), // a real U+10FF80: escaped byte by byte
      bytes([0xf4, 0x8f, 0xbf, 0xbf]), // a real U+10FFFF
      bytes([0xf4, 0x8f, 0xbd, 0xbf]), // U+10FF7F: plain UTF-8, not an escape
    ];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 2000; n++) cases.push(Buffer.from(Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * 256))));
    const forms = new Map<string, Buffer>();
    for (const b of cases) {
      const s = fromFsBytes(b);
      expect(toFsBytes(s).equals(b)).toBe(true);
      expect(s.isWellFormed()).toBe(true); // SQLite TEXT and JSON carry it unchanged
      const other = forms.get(s);
      if (other) expect(other.equals(b)).toBe(true); // injective: one string, one byte string
      forms.set(s, b);
    }
    expect(fromFsBytes(bytes('x', [0xf4, 0x8f, 0xbe, 0x80], 'y'))).toBe('x\u{10FFF4}\u{10FF8F}\u{10FFBE}\u{10FF80}y');
    expect(fromFsBytes(bytes([0xf4, 0x8f, 0xbd, 0xbf]))).toBe('\u{10FF7F}');
    expect(displayName(fromFsBytes(bytes([0xf4, 0x8f, 0xbe, 0x80, 0xe9])))).toBe('\u{10FF80}é');
  });

  it('opens a real file by its string form, and survives JSON', () => {
    const name = bytes('Pi\u00e8ce ', [0xe9, 0xe8], ' \u00e9.jpg'); // mixed: valid é and Latin-1 é è
    const full = Buffer.concat([Buffer.from(dir + path.sep), name]);
    fs.writeFileSync(full, 'photo bytes');
    const [listed] = fs.readdirSync(dir, { encoding: 'buffer' });
    const s = path.join(dir, fromFsBytes(listed!));
    expect(JSON.parse(JSON.stringify({ path: s })).path).toBe(s);
    expect(fs.readFileSync(toFsPath(s), 'utf8')).toBe('photo bytes');
    expect(displayName(path.basename(s))).toBe('Pièce éè é.jpg');
    // The lossy string Node gives by default names no file.
    expect(fs.existsSync(path.join(dir, listed!.toString('utf8')))).toBe(false);
  });
});
