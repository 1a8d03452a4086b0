import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function photoFolder(files: string[]): string {
  const dir = tempDir('progress-photos');
  made.push(dir);
  for (const f of files) fs.copyFileSync(path.join(SAMPLES_DIR, f), path.join(dir, f));
  return dir;
}

describe('CLI progress (see [Note: CLI progress])', () => {
  it('index, not at a terminal: plain progress lines with done/total on stderr; with --json, stdout is one JSON document', () => {
    const library = tempDir('progress-lib');
    made.push(library);
    const photos = photoFolder(['sample_045.jpg', 'sample_016.jpg', 'sample_050.jpg']);

    const plain = runCli(['index', photos, '--library', library, '--model', TINY_CLIP]);
    expect(plain.status).toBe(0);
    expect(plain.stderr).not.toContain('\r');
    const lines = plain.stderr.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^indexing: \d+\/(\d+|\?)( \(\d+%\))?  (--|[\d.]+)\/s  ETA (--:--|\d+:\d\d)$/);
    expect(lines.at(-1)).toMatch(/^indexing: 3\/3 \(100%\) /);
    expect(plain.stdout).toMatch(/^3 indexed, 0 unchanged, 0 removed, 0 failed/);

    fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_001.jpg'), path.join(photos, 'sample_001.jpg'));
    const json = runCli(['index', photos, '--library', library, '--model', TINY_CLIP, '--json']);
    expect(json.status).toBe(0);
    expect(json.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ indexed: 1, unchanged: 3, failed: [] });
    expect(json.stderr.trimEnd().split('\n').at(-1)).toMatch(/^indexing: 4\/4 \(100%\) /);
  });
});
