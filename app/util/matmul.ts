import * as ort from 'onnxruntime-node';

/**
 * [Note: matrix products through onnxruntime]
 * Plain JS runs a 512-d dot product at ~0.35 G multiply-adds/s on this machine, far too slow for the
 * duplicate scan's block products (tens of GFLOP at 100 000 photos). onnxruntime-node is already loaded for
 * CLIP and its CPU provider runs MatMul through MLAS (SIMD SGEMM, all cores), ~50× faster. The one-node
 * graph is encoded here by hand (a few protobuf fields) rather than shipped as a file: `C = A × B` with
 * A [n, d] and B [d, m], both float32, symbolic sizes.
 */
export class MatMul {
  private session: Promise<ort.InferenceSession> | undefined;

  /** A [n, d] × B [d, m] → [n, m], row-major. */
  async multiply(a: Float32Array, n: number, b: Float32Array, d: number, m: number): Promise<Float32Array> {
    this.session ??= ort.InferenceSession.create(matmulModel());
    const session = await this.session;
    const out = await session.run({ A: new ort.Tensor('float32', a, [n, d]), B: new ort.Tensor('float32', b, [d, m]) });
    return out['C']!.data as Float32Array;
  }

  async release(): Promise<void> {
    if (this.session) await (await this.session).release();
    this.session = undefined;
  }
}

/** Row-major [rows, cols] → its transpose [cols, rows]. */
export function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c]!;
  return out;
}

// --- protobuf encoding of the ONNX ModelProto (field numbers from onnx.proto) ---

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const field = (no: number, bytes: number[]) => [...varint((no << 3) | 2), ...varint(bytes.length), ...bytes];
const text = (no: number, s: string) => field(no, [...Buffer.from(s, 'utf8')]);
const int = (no: number, v: number) => [...varint(no << 3), ...varint(v)];

/** ValueInfoProto: a float tensor named `name` with symbolic dims. */
function floatTensor(name: string, dims: string[]): number[] {
  const shape = dims.flatMap((p) => field(1, text(2, p)));
  const tensorType = [...int(1, 1), ...field(2, shape)];
  return [...text(1, name), ...field(2, field(1, tensorType))];
}

function matmulModel(): Uint8Array {
  const node = [...text(1, 'A'), ...text(1, 'B'), ...text(2, 'C'), ...text(3, 'matmul'), ...text(4, 'MatMul')];
  const graph = [...field(1, node), ...text(2, 'g'), ...field(11, floatTensor('A', ['n', 'd'])), ...field(11, floatTensor('B', ['d', 'm'])), ...field(12, floatTensor('C', ['n', 'm']))];
  const opset = [...text(1, ''), ...int(2, 13)];
  return Uint8Array.from([...int(1, 7), ...field(7, graph), ...field(8, opset)]);
}
