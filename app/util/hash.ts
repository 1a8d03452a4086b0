import type { createXXHash128 } from 'hash-wasm';
import { loadHashWasm } from './heavy-modules.js';

/**
 * Content hash of a photo's bytes. xxHash128 (hash-wasm, WebAssembly): several GB/s, 128 bits is plenty to
 * tell files apart in one library, and it is not a security boundary. The prefix names the algorithm so a
 * later change of algorithm cannot silently compare unlike hashes.
 */
let hasher: Awaited<ReturnType<typeof createXXHash128>> | undefined;

export async function contentHash(bytes: Uint8Array): Promise<string> {
  hasher ??= await (await loadHashWasm()).createXXHash128(); // see [Note: heavy modules on first use]
  hasher.init();
  hasher.update(bytes);
  return `xxh128:${hasher.digest('hex')}`;
}
