import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DECODING_NICE } from '../../app/util/decoding-priority.js';
import { tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const child = fileURLToPath(new URL('./decoding-priority-child.ts', import.meta.url));

describe.runIf(process.platform === 'linux')('decoding threads yield to inference while indexing (see [Note: decoding yields to inference])', () => {
  it('lowers libuv and libvips threads, and only those, and indexes as before', () => {
    const photos = tempDir('photos');
    for (const f of fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.jpg')).slice(0, 12)) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(photos, f));
    const out = execFileSync(process.execPath, ['--import', 'tsx', child, tempDir('library'), photos, TINY_CLIP], { encoding: 'utf8' });
    const { indexed, failed, threads } = JSON.parse(out.trim().split('\n').at(-1)!) as { indexed: number; failed: number; threads: { name: string; nice: number }[] };
    expect({ indexed, failed }).toEqual({ indexed: 12, failed: 0 });
    const decoding = threads.filter((t) => /^(libuv-worker|libvips worker)/.test(t.name));
    const others = threads.filter((t) => !decoding.includes(t));
    console.log(`threads after indexing: ${threads.map((t) => `${t.name} ${t.nice}`).join(', ')}`);
    // sharp decoded 12 photos on libuv's pool: its threads exist, and every one of them is lowered.
    expect(decoding.filter((t) => t.name === 'libuv-worker').length).toBeGreaterThan(0);
    expect(decoding.every((t) => t.nice === DECODING_NICE)).toBe(true);
    // The main thread, V8's helpers and the inference thread with ONNX Runtime's threads keep theirs.
    expect(others.some((t) => t.name === 'MainThread')).toBe(true);
    expect(others.every((t) => t.nice === 0)).toBe(true);
  });
});
