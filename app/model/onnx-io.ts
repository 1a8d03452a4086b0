import type * as ort from 'onnxruntime-node';

/**
 * What a session really declares, read from the session itself rather than trusted from a manifest:
 * a pack whose manifest names an input the ONNX file does not have is refused with a clear message.
 */
export interface SessionIo {
  inputs: Map<string, ort.InferenceSession.ValueMetadata>;
  outputs: Map<string, ort.InferenceSession.ValueMetadata>;
}

export function sessionIo(session: ort.InferenceSession): SessionIo {
  const inputs = new Map(session.inputNames.map((name, i) => [name, session.inputMetadata[i]!] as const));
  const outputs = new Map(session.outputNames.map((name, i) => [name, session.outputMetadata[i]!] as const));
  return { inputs, outputs };
}

/** Picks the embedding output: the declared one, else one named `*_embeds`, else the first 2-D output. */
export function pickEmbeddingOutput(io: SessionIo, declared: string | undefined, fallbackName: string, file: string): string {
  if (declared) {
    if (!io.outputs.has(declared)) throw new Error(`${file} has no output named ${declared} (it has ${[...io.outputs.keys()].join(', ')})`);
    return declared;
  }
  if (io.outputs.has(fallbackName)) return fallbackName;
  for (const [name, meta] of io.outputs) {
    if (name.endsWith('_embeds') || (meta.isTensor && meta.shape.length === 2)) return name;
  }
  throw new Error(`${file} has no embedding output (outputs: ${[...io.outputs.keys()].join(', ')})`);
}

export function pickInput(io: SessionIo, declared: string | undefined, fallbackName: string, file: string): string {
  const name = declared ?? (io.inputs.has(fallbackName) ? fallbackName : [...io.inputs.keys()][0]);
  if (!name || !io.inputs.has(name)) throw new Error(`${file} has no input named ${declared ?? fallbackName}`);
  return name;
}

/** The fixed size of dimension `index` of a tensor, or undefined when the export leaves it symbolic. */
export function fixedDim(meta: ort.InferenceSession.ValueMetadata | undefined, index: number): number | undefined {
  if (!meta || !meta.isTensor) return undefined;
  const d = meta.shape[index];
  return typeof d === 'number' && d > 0 ? d : undefined;
}

/** Embedding width from a [batch, dim] output, when the export says it. */
export function outputDim(io: SessionIo, output: string): number | undefined {
  return fixedDim(io.outputs.get(output), 1);
}
