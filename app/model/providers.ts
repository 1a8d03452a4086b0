import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { modelFileToOpen } from './weights-in-place.js';

/** Execution providers we know how to ask onnxruntime-node for. `cpu` is always available. */
export type ExecutionProvider = 'cpu' | 'cuda' | 'dml' | 'coreml';

export interface ProviderChoice {
  /** What this platform should try, best first; always ends with `cpu`. */
  candidates: ExecutionProvider[];
}

/**
 * [Note: execution provider fallback]
 * onnxruntime-node does not fall back by itself: a session asked for ['cuda', 'cpu'] throws when CUDA's
 * libraries are missing. So we try each accelerator on its own and fall back to the next with a warning,
 * ending with the CPU, and report which one is active.
 */
export function providerCandidates(platform: NodeJS.Platform = process.platform, preferred?: ExecutionProvider): ExecutionProvider[] {
  const byPlatform: Record<string, ExecutionProvider[]> = {
    darwin: ['coreml'],
    win32: ['dml'],
    linux: ['cuda'],
  };
  const accelerators = preferred && preferred !== 'cpu' ? [preferred] : preferred === 'cpu' ? [] : (byPlatform[platform] ?? []);
  return [...accelerators.filter((p) => p !== 'cpu'), 'cpu'];
}

export interface SessionOptions {
  preferredProvider?: ExecutionProvider;
  /** Intra-op threads; 0 lets ONNX Runtime decide (one per physical core). */
  threads?: number;
  /**
   * ONNX Runtime's weight prepacking (MLAS lays each MatMul's weights out for its kernels once, at load, in
   * memory of its own): on unless false. Worth it for a session that runs more than once; see
   * ClipModelOptions.singleTextQuery for the one that does not.
   */
  prepackWeights?: boolean;
  onWarning?: (message: string) => void;
}

export interface OpenedSession {
  session: ort.InferenceSession;
  provider: ExecutionProvider;
}

export async function openSession(modelPath: string, options: SessionOptions = {}): Promise<OpenedSession> {
  const candidates = providerCandidates(process.platform, options.preferredProvider);
  const warn = options.onWarning ?? ((m: string) => process.emitWarning(m));
  let lastError: unknown;
  for (const provider of candidates) {
    const missing = missingProviderLibrary(provider);
    if (missing) {
      // Not installed is the normal case on most machines: only worth a warning when it was asked for.
      if (options.preferredProvider === provider) warn(`execution provider ${provider} unavailable (${missing} not installed); falling back`);
      continue;
    }
    try {
      const session = await createSession(modelPath, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        // Our own warning says which provider failed; ONNX Runtime's native log would add a scary stack.
        logSeverityLevel: 4,
        ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
        // Spinning threads burn a core between batches on a 2-core laptop while sharp decodes: turn it off.
        extra: { session: { intra_op: { allow_spinning: '0' }, ...(options.prepackWeights === false ? { disable_prepacking: '1' } : {}) } },
      });
      return { session, provider };
    } catch (err) {
      lastError = err;
      if (provider !== 'cpu') {
        const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
        warn(`execution provider ${provider} unavailable (${reason}); falling back`);
      }
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

/**
 * A session over the model's weights read in place (see [Note: weights read in place]). Should ONNX Runtime
 * refuse that graph file, it is dropped and the model file itself opened, so a bad cache never stops a model.
 */
async function createSession(modelPath: string, sessionOptions: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  const file = modelFileToOpen(modelPath);
  if (file === modelPath) return ort.InferenceSession.create(modelPath, sessionOptions);
  try {
    return await ort.InferenceSession.create(file, sessionOptions);
  } catch {
    fs.rmSync(file, { force: true });
    return ort.InferenceSession.create(modelPath, sessionOptions);
  }
}

export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism());
}

/**
 * CUDA and TensorRT come as separate shared libraries that onnxruntime-node downloads at install time when
 * asked to. Without them the session creation fails noisily in native code; check for the file first.
 */
function missingProviderLibrary(provider: ExecutionProvider): string | undefined {
  if (provider !== 'cuda' || process.platform !== 'linux') return undefined;
  const require = createRequire(import.meta.url);
  const binding = path.dirname(require.resolve('onnxruntime-node/package.json'));
  const lib = path.join(binding, 'bin', 'napi-v6', 'linux', process.arch, 'libonnxruntime_providers_cuda.so');
  return fs.existsSync(lib) ? undefined : path.basename(lib);
}
