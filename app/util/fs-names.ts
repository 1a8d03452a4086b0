import { isUtf8 } from 'node:buffer';

/**
 * [Note: file names that are not UTF-8]
 * Linux (and NFS/SMB shares, old archives copied from Latin-1 systems) lets a file name be any bytes but `/`
 * and NUL, so `caf\xE9.jpg` is a real photo's name. Node decodes such a name to `caf\uFFFD.jpg`, a name no
 * file has, and SQLite TEXT, JSON and the API carry strings, not bytes. So every path has one exact string
 * form, bijective with its bytes:
 * - valid UTF-8 stays as it is (every name a photographer usually meets is untouched: no migration);
 * - each byte that is not part of valid UTF-8 (0x80–0xFF) becomes one code point U+10FF00 + byte, i.e.
 *   U+10FF80–U+10FFFF, the end of Supplementary Private Use Area-B (lone surrogates, Python's
 *   "surrogateescape", would not survive SQLite or JSON);
 * - a real occurrence of those code points (bytes F4 8F BE 80–F4 8F BF BF) is escaped byte by byte too, so
 *   no two byte strings share a string form.
 * ASCII never changes, so `/`, `.` and extensions are where they were and `path.join`, `extname`, prefix
 * ranges and sorting work on the string form as on the bytes. The string is what the catalog stores and
 * what `--json` prints; `toFsPath` turns it back into what fs takes (a Buffer only when it holds escapes),
 * and scans list folders with `encoding: 'buffer'` (`fromFsBytes`) so a name is never decoded lossily.
 * People see `displayName`: the odd bytes read as Windows-1252 (the usual source of such names), so
 * `caf\xE9.jpg` shows as `café.jpg`. Display forms can collide; they never name a file.
 * Tools that take only string paths get a UTF-8 alias instead (see [Note: string-only tools]); the trash
 * gets a freedesktop implementation that takes the bytes (see [Note: trashing a name that is not UTF-8]).
 */

/** Byte b (0x80–0xFF) that is not valid UTF-8 ↔ code point ESCAPE_BASE + b. */
const ESCAPE_BASE = 0x10ff00;
const FIRST_ESCAPE = ESCAPE_BASE + 0x80;
/** In UTF-16 every escape is the high surrogate U+DBFF followed by U+DF80–U+DFFF. */
const ESCAPE_PATTERN = /\uDBFF[\uDF80-\uDFFF]/;

/** Windows-1252's 0x80–0x9F (0xA0–0xFF are Latin-1, the same code points); its five holes show as U+FFFD. */
const CP1252_C1 = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ';

/** True when the string form holds escaped bytes: the name is not valid UTF-8 on disk. */
export function hasRawBytes(name: string): boolean {
  return ESCAPE_PATTERN.test(name);
}

/** The exact string form of a file name or path given as bytes (see [Note: file names that are not UTF-8]). */
export function fromFsBytes(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The common case in one native pass: valid UTF-8 without any F4 lead byte cannot hold an escape.
  if (isUtf8(buf) && !buf.includes(0xf4)) return buf.toString('utf8');
  let out = '';
  let run = 0; // start of the pending run of plain UTF-8
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    const collides = n === 4 && buf[i] === 0xf4 && buf[i + 1] === 0x8f && buf[i + 2]! >= 0xbe;
    if (n > 0 && !collides) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i);
    const escaped = n > 0 ? n : 1;
    for (let k = 0; k < escaped; k++) out += String.fromCodePoint(ESCAPE_BASE + buf[i + k]!);
    i += escaped;
    run = i;
  }
  return out + buf.toString('utf8', run, i);
}

/** The bytes a string form stands for: the exact inverse of `fromFsBytes`. */
export function toFsBytes(name: string): Buffer {
  if (!hasRawBytes(name)) return Buffer.from(name, 'utf8');
  const parts: Buffer[] = [];
  let plain = '';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (cp < FIRST_ESCAPE) {
      plain += ch;
      continue;
    }
    if (plain) parts.push(Buffer.from(plain, 'utf8'));
    plain = '';
    parts.push(Buffer.of(cp - ESCAPE_BASE));
  }
  if (plain) parts.push(Buffer.from(plain, 'utf8'));
  return Buffer.concat(parts);
}

/** What to hand to `fs` for a stored path: the string itself, or its bytes when it holds escapes. */
export function toFsPath(name: string): string | Buffer {
  return hasRawBytes(name) ? toFsBytes(name) : name;
}

/**
 * A name for people: bytes that are not UTF-8 read as Windows-1252, real UTF-8 (even the code points that
 * had to be escaped) as itself. Not an identity: two files can show the same display name.
 */
export function displayName(name: string): string {
  if (!hasRawBytes(name)) return name;
  const buf = toFsBytes(name);
  let out = '';
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      out += buf.toString('utf8', i, i + n);
      i += n;
    } else {
      const b = buf[i++]!;
      out += b < 0xa0 ? CP1252_C1[b - 0x80]! : String.fromCharCode(b);
    }
  }
  return out;
}

/**
 * Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0 when the byte there starts none.
 */
function sequenceLength(buf: Buffer, i: number): number {
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const b = buf[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}
