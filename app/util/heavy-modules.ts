/**
 * [Note: heavy modules on first use]
 * A text search needs SQLite, ONNX Runtime and the tokenizer, nothing else. Importing every library the app
 * uses at start cost a cold `shoebox search` ~1 s more than that on the 2-core development machine (import
 * times measured one process each, 2026-12-01, under load: heic-decode 230–260 ms, exiftool-vendored 220 ms,
 * sharp 150–220 ms, ws 120–280 ms, trash 100–135 ms, exifr 75 ms, piscina 50–80 ms, chokidar 40 ms,
 * hash-wasm 30–40 ms, yauzl 15–35 ms). So the file that wraps each of these imports it on first call through
 * the loaders below, and only the work that needs one pays for it (the first decode loads sharp, the first
 * `serve` loads ws). `test/architecture/heavy-modules.test.ts` checks that a text search loads none of them.
 * Type-only imports cost nothing and stay where they are.
 */

/** The promise of the first call, kept: later calls share it (a module that failed to load stays failed). */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

export const loadSharp = once(async () => (await import('sharp')).default);
export const loadHeicDecode = once(async () => (await import('heic-decode')).default);
export const loadExifTool = once(async () => (await import('exiftool-vendored')).ExifTool);
export const loadTrash = once(async () => (await import('trash')).default);
export const loadChokidar = once(() => import('chokidar'));
export const loadPiscina = once(async () => (await import('piscina')).Piscina);
export const loadWebSocketServer = once(async () => (await import('ws')).WebSocketServer);
export const loadHashWasm = once(() => import('hash-wasm'));
export const loadYauzl = once(async () => (await import('yauzl')).default);

type ExifrApi = Pick<typeof import('exifr'), 'parse' | 'sidecar'>;

/**
 * exifr ships a UMD build to Node (its functions hang off the default export) and an ES build to Vite (whose
 * default export has no `sidecar`): each function is taken from wherever this loader put it.
 */
export const loadExifr = once(async (): Promise<ExifrApi> => {
  const module = (await import('exifr')) as unknown as Partial<ExifrApi> & { default?: ExifrApi };
  const api = module.default ?? (module as ExifrApi);
  return { parse: module.parse ?? api.parse, sidecar: module.sidecar ?? api.sidecar };
});
