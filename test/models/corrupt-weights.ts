import fs from 'node:fs';

/**
 * Damages an ONNX model's weights without breaking its file structure, like a bad quantization or a bit-rot
 * that a checksum would not catch when the pack declares none: walks the protobuf (ModelProto.graph = field 7,
 * GraphProto.initializer = 5, TensorProto.raw_data = 9) and negates every float32 in the `count` largest
 * initializers. The model still loads and runs; its embeddings are wrong.
 */
export function negateLargestWeights(file: string, count: number): void {
  const bytes = fs.readFileSync(file);
  const graph = fields(bytes, 0, bytes.length).find((f) => f.field === 7 && f.wire === 2);
  if (!graph) throw new Error(`${file}: no graph`);
  const rawData: { start: number; end: number }[] = [];
  for (const init of fields(bytes, graph.start, graph.end).filter((f) => f.field === 5 && f.wire === 2)) {
    const raw = fields(bytes, init.start, init.end).find((f) => f.field === 9 && f.wire === 2);
    if (raw) rawData.push(raw);
  }
  rawData.sort((a, b) => b.end - b.start - (a.end - a.start));
  for (const raw of rawData.slice(0, count)) {
    for (let i = raw.start + 3; i < raw.end; i += 4) bytes[i]! ^= 0x80; // sign bit of each little-endian float32
  }
  fs.writeFileSync(file, bytes);
}

interface Field {
  field: number;
  wire: number;
  start: number;
  end: number;
}

function fields(buf: Buffer, start: number, end: number): Field[] {
  const out: Field[] = [];
  let pos = start;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = buf[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
  };
  while (pos < end) {
    const key = varint();
    const wire = key % 8;
    const field = Math.floor(key / 8);
    if (wire === 0) {
      varint();
      out.push({ field, wire, start: pos, end: pos });
    } else if (wire === 2) {
      const length = varint();
      out.push({ field, wire, start: pos, end: pos + length });
      pos += length;
    } else if (wire === 5) pos += 4;
    else if (wire === 1) pos += 8;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}
