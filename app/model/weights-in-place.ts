import fs from 'node:fs';
import path from 'node:path';
import { FieldReader, lengthDelimited, varintField } from './protobuf-fields.js';

/**
 * [Note: weights read in place]
 * ONNX Runtime parses a model's weights out of the protobuf and copies them into buffers of its own: opening
 * the ViT-B/32 text tower (254 MB fp32) took 3–8 s on the 2-core development machine and the int8 one (64 MB)
 * 1.0–1.5 s, mostly spent touching freshly allocated memory. Weights stored as ONNX *external data* are
 * memory-mapped instead, from the page cache. So beside each large model file we keep a small graph file
 * (~130 KB): the same model, with each large initializer's bytes replaced by a reference to where they already
 * sit in the model file (its offset and length). Opening that took 1.8 s and 0.65 s in the same run, and the
 * weights' pages are shared with the page cache rather than copied. Nothing is duplicated on disk and the
 * numbers are the model's own bytes (embeddings are identical, see test/model/weights-in-place.test.ts).
 *
 * The graph file records the model file's size, mtime and ctime and is rebuilt when any of them changes.
 * ONNX Runtime maps external data only from the graph file's folder or below, so the file sits beside the
 * model; where that folder cannot be written (a read-only pack) the model opens as before.
 *
 * ONNX Runtime's own cache, `optimizedModelFilePath`, was measured too: with its initializers written inline it
 * opens no faster than the original; written as external data it opens as fast as this, but as a second copy
 * of the weights (254 + 351 MB for the fp32 ViT-B/32 pack).
 */
const FORMAT = 'shoebox-weights-in-place/1';
const STAMP_KEY = 'shoebox.weights-in-place';
/** Below this a model opens in a few tens of milliseconds anyway (tiny-clip is 2–3 MB). */
export const IN_PLACE_MIN_BYTES = 16 * 2 ** 20;
/** Initializers smaller than this stay inline: mapping a page for a bias vector gains nothing. */
const MIN_TENSOR_BYTES = 4096;

// ONNX field numbers (onnx.proto3): ModelProto.graph, .metadata_props; GraphProto.initializer;
// TensorProto.raw_data, .external_data, .data_location; StringStringEntryProto.key, .value.
const MODEL_GRAPH = 7;
const MODEL_METADATA = 14;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;
const TENSOR_EXTERNAL_DATA = 13;
const TENSOR_DATA_LOCATION = 14;
const LOCATION_EXTERNAL = 1;

export function inPlaceGraphPath(modelPath: string): string {
  return path.join(path.dirname(modelPath), `.${path.basename(modelPath)}.in-place.onnx`);
}

/**
 * The file to hand ONNX Runtime for `modelPath`: its in-place graph when one is current or can be written
 * now, else the model itself (small, read-only folder, or a model we do not understand).
 */
export function modelFileToOpen(modelPath: string, minBytes = IN_PLACE_MIN_BYTES): string {
  try {
    const stat = fs.statSync(modelPath, { bigint: true });
    if (stat.size < BigInt(minBytes)) return modelPath;
    const stamp = `${FORMAT} ${stat.size} ${stat.mtimeNs} ${stat.ctimeNs}`;
    const graph = inPlaceGraphPath(modelPath);
    if (readStamp(graph) === stamp) return graph;
    const built = buildInPlaceGraph(modelPath, stamp);
    if (!built) return modelPath;
    const temp = `${graph}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, built);
      fs.renameSync(temp, graph);
    } finally {
      fs.rmSync(temp, { force: true });
    }
    return graph;
  } catch {
    // Unwritable folder, unreadable or unexpected file: ONNX Runtime reads the model itself, as it always did.
    return modelPath;
  }
}

/** The stamp a graph file was written with, or undefined when there is none (or it is not ours). */
function readStamp(graph: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(graph, 'r');
  } catch {
    return undefined;
  }
  try {
    const reader = new FieldReader(fd, fs.fstatSync(fd).size);
    for (const f of reader.fields(0, reader.size)) {
      if (f.field !== MODEL_METADATA || f.wire !== 2) continue;
      const entry = stringPairs(reader, f.valueStart, f.end);
      if (entry.key === STAMP_KEY) return entry.value;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The model with its large initializers pointing into the model file, plus the stamp; undefined when the
 * model already keeps its weights elsewhere (external data of its own) or holds none worth moving.
 */
function buildInPlaceGraph(modelPath: string, stamp: string): Buffer | undefined {
  const fd = fs.openSync(modelPath, 'r');
  try {
    const reader = new FieldReader(fd, fs.fstatSync(fd).size);
    const location = path.basename(modelPath);
    let moved = 0;
    const tensor = (start: number, end: number): Buffer => {
      const kept: Buffer[] = [];
      let raw: { start: number; end: number } | undefined;
      for (const f of reader.fields(start, end)) {
        if (f.field === TENSOR_DATA_LOCATION && reader.varintValue(f) === BigInt(LOCATION_EXTERNAL)) throw new AlreadyExternal();
        if (f.field === TENSOR_RAW_DATA && f.wire === 2 && f.end - f.valueStart >= MIN_TENSOR_BYTES) raw = { start: f.valueStart, end: f.end };
        else kept.push(reader.bytes(f.start, f.end));
      }
      if (!raw) return reader.bytes(start, end);
      moved++;
      const entry = (key: string, value: string) => lengthDelimited(TENSOR_EXTERNAL_DATA, Buffer.concat([lengthDelimited(1, key), lengthDelimited(2, value)]));
      kept.push(entry('location', location), entry('offset', String(raw.start)), entry('length', String(raw.end - raw.start)));
      kept.push(varintField(TENSOR_DATA_LOCATION, LOCATION_EXTERNAL));
      return Buffer.concat(kept);
    };
    const graph = (start: number, end: number): Buffer =>
      Buffer.concat([...reader.fields(start, end)].map((f) => (f.field === GRAPH_INITIALIZER && f.wire === 2 ? lengthDelimited(GRAPH_INITIALIZER, tensor(f.valueStart, f.end)) : reader.bytes(f.start, f.end))));
    const parts = [...reader.fields(0, reader.size)].map((f) => (f.field === MODEL_GRAPH && f.wire === 2 ? lengthDelimited(MODEL_GRAPH, graph(f.valueStart, f.end)) : reader.bytes(f.start, f.end)));
    if (moved === 0) return undefined;
    parts.push(lengthDelimited(MODEL_METADATA, Buffer.concat([lengthDelimited(1, STAMP_KEY), lengthDelimited(2, stamp)])));
    return Buffer.concat(parts);
  } catch (err) {
    if (err instanceof AlreadyExternal) return undefined;
    throw err;
  } finally {
    fs.closeSync(fd);
  }
}

class AlreadyExternal extends Error {}

function stringPairs(reader: FieldReader, start: number, end: number): { key?: string; value?: string } {
  const out: { key?: string; value?: string } = {};
  for (const f of reader.fields(start, end)) {
    const text = reader.bytes(f.valueStart, f.end).toString('utf8');
    if (f.field === 1) out.key = text;
    else if (f.field === 2) out.value = text;
  }
  return out;
}
