import fs from 'node:fs';

/**
 * Just enough protobuf to walk an ONNX file's messages without reading their big payloads: a field's number,
 * wire type and the byte range of its value, read through a small window of the file, so a 350 MB model
 * costs a few hundred small reads instead of 350 MB of memory. Writing is the reverse for the few fields we
 * build (length-delimited messages and strings, one varint).
 */
export interface Field {
  field: number;
  wire: number;
  /** Where the field starts (its key) and ends, in the file. */
  start: number;
  end: number;
  /** The value's bytes (for a length-delimited field, its payload without the length). */
  valueStart: number;
}

const WINDOW = 1 << 16;

export class FieldReader {
  private readonly window = Buffer.alloc(WINDOW);
  private windowStart = 0;
  private windowEnd = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** The fields of the message held in [start, end). */
  *fields(start: number, end: number): Generator<Field> {
    let p = start;
    while (p < end) {
      const fieldStart = p;
      const [key, afterKey] = this.varint(p);
      const field = Number(key >> 3n);
      const wire = Number(key & 7n);
      let valueStart = afterKey;
      if (wire === 0) p = this.varint(afterKey)[1];
      else if (wire === 1) p = afterKey + 8;
      else if (wire === 5) p = afterKey + 4;
      else if (wire === 2) {
        const [length, afterLength] = this.varint(afterKey);
        valueStart = afterLength;
        p = afterLength + Number(length);
      } else throw new Error(`unsupported protobuf wire type ${wire} at byte ${fieldStart}`);
      if (p > end) throw new Error(`protobuf field at byte ${fieldStart} runs past its message`);
      yield { field, wire, start: fieldStart, end: p, valueStart };
    }
  }

  /** A copy of the bytes in [start, end). */
  bytes(start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < out.length) {
      const n = fs.readSync(this.fd, out, done, out.length - done, start + done);
      if (n === 0) throw new Error(`file ends at byte ${start + done}, inside a protobuf field`);
      done += n;
    }
    return out;
  }

  varintValue(field: Field): bigint {
    return this.varint(field.valueStart)[0];
  }

  private byteAt(p: number): number {
    if (p < this.windowStart || p >= this.windowEnd) {
      if (p >= this.size) throw new Error(`file ends at byte ${p}, inside a protobuf varint`);
      this.windowStart = p;
      this.windowEnd = p + fs.readSync(this.fd, this.window, 0, WINDOW, p);
    }
    return this.window[p - this.windowStart]!;
  }

  private varint(p: number): [bigint, number] {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.byteAt(p++);
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return [value, p];
    }
    throw new Error(`malformed protobuf varint before byte ${p}`);
  }
}

export function encodeVarint(value: number | bigint): Buffer {
  let n = BigInt(value);
  const out: number[] = [];
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) byte |= 0x80;
    out.push(byte);
  } while (n > 0n);
  return Buffer.from(out);
}

/** A length-delimited field: a nested message, bytes or a string. */
export function lengthDelimited(field: number, payload: Buffer | string): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([encodeVarint((field << 3) | 2), encodeVarint(bytes.length), bytes]);
}

export function varintField(field: number, value: number): Buffer {
  return Buffer.concat([encodeVarint(field << 3), encodeVarint(value)]);
}
