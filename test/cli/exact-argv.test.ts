import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactArgv } from '../../app/cli/exact-argv.js';
import { fromFsBytes } from '../../app/util/fs-names.js';
import { CLI_COMMAND, runCliJson, tempDir } from '../helpers/cli.js';
import { SAMPLES_DIR, TINY_CLIP } from '../helpers/fixtures.js';

// See [Note: arguments that are not UTF-8].
describe('arguments that are not UTF-8', () => {
  const nul = (...parts: (string | Buffer)[]) => Buffer.concat(parts.flatMap((p) => [Buffer.isBuffer(p) ? p : Buffer.from(p), Buffer.of(0)]));
  const raw = Buffer.concat([Buffer.from('/photos/caf'), Buffer.of(0xe9), Buffer.from('.jpg')]);

  it('takes the exact bytes of an argument Node decoded lossily, from the end of the command line', () => {
    const cmdline = nul('node', '--stack-size=900', 'out/main/shoebox.js', 'similar', raw, '--json');
    expect(exactArgv(['similar', raw.toString('utf8'), '--json'], cmdline)).toEqual(['similar', fromFsBytes(raw), '--json']);
  });

  it('changes nothing else: valid arguments, a real U+FFFD, a command line that does not match', () => {
    const args = ['similar', 'caf\uFFFD.jpg'];
    // A file really named with U+FFFD (valid UTF-8) stays as it is.
    expect(exactArgv(args, nul('node', 's.js', 'similar', 'caf\uFFFD.jpg'))).toEqual(args);
    expect(exactArgv(args, nul('node', 's.js', 'similar', 'other.jpg'))).toEqual(args);
    expect(exactArgv(['a', 'b'], nul('x'))).toEqual(['a', 'b']);
    expect(exactArgv(args, undefined)).toEqual(args);
  });

  describe.runIf(process.platform === 'linux')('through the real CLI', () => {
    const library = tempDir('rawarg-lib');
    const photos = tempDir('rawarg-photos');
    const bytes = Buffer.concat([Buffer.from(path.join(photos, 'caf')), Buffer.of(0xe9), Buffer.from('.jpg')]);
    const nameFile = path.join(tempDir('rawarg-name'), 'name');
    /** Runs the CLI through bash with the photo's raw bytes as the argument after `command`. */
    const withRawName = (command: string, ...rest: string[]) => {
      const script = `"$0" "$1" ${command} "$(cat "$2")" "\${@:3}"`;
      const run = spawnSync('bash', ['-c', script, ...CLI_COMMAND, nameFile, ...rest, '--library', library, '--model', TINY_CLIP, '--json'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as Record<string, unknown>;
    };

    beforeAll(() => {
      fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_000.jpg'), bytes);
      fs.copyFileSync(path.join(SAMPLES_DIR, 'sample_001.jpg'), path.join(photos, 'plain.jpg'));
      fs.writeFileSync(nameFile, bytes);
      expect(runCliJson(['index', photos, '--library', library, '--model', TINY_CLIP, '--json'])).toMatchObject({ indexed: 2, failed: [] });
    });

    it('finds the photo named by its bytes: similar and rate work on it', () => {
      const similar = withRawName('similar', '--all') as { results: { path: string }[] };
      expect(similar.results.map((r) => r.path)).toEqual([path.join(photos, 'plain.jpg')]);
      expect(withRawName('rate', '4')).toMatchObject({ rating: 4, photos: 1, failed: [] });
    });
  });
});
