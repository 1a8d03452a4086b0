import fs from 'node:fs';
import path from 'node:path';
import type { DuplicateGroup } from '../duplicates/find-duplicates.js';
import { resolveGroup, type ResolveOutcome } from '../duplicates/resolve-group.js';
import { decodePhoto } from '../image/decode.js';
import { watchFolders } from '../watcher/watch-folders.js';
import { ALBUM_COMMANDS } from './album-commands.js';
import { confirm } from './confirm.js';
import { MARK_COMMANDS } from './mark-commands.js';
import { MODEL_COMMANDS } from './model-commands.js';
import { UserError } from '../util/errors.js';
import type { CliOptions } from './options.js';
import { toFsPath } from '../util/fs-names.js';
import { printIndexReport, printResults, shownPath, writeJson } from './output.js';
import { SERVE_COMMANDS } from './serve-commands.js';
import { needArgs, withCore, type Command } from './open-core.js';
import { cliProgress } from './progress.js';
import { TAG_COMMANDS } from './tag-commands.js';
import { USAGE } from './usage.js';

function printGroups(groups: DuplicateGroup[]): void {
  if (groups.length === 0) process.stdout.write('no duplicates found\n');
  for (const g of groups) {
    process.stdout.write(`${g.kind}${g.mirrored ? ' (mirrored)' : ''}: keep ${shownPath(g.keep.photo.path)} (${g.keep.reason})\n`);
    for (const p of g.photos) if (p !== g.keep.photo) process.stdout.write(`  ${shownPath(p.path)}\n`);
  }
}

export const COMMANDS: Record<string, Command> = {
  ...SERVE_COMMANDS,
  ...TAG_COMMANDS,
  index: {
    usage: USAGE.index,
    async run(opts) {
      const folders = needArgs(opts, 1, this.usage);
      await withCore(opts, async (core) => {
        const progress = cliProgress(opts);
        progress.start('indexing');
        const report = await core
          .index(folders, { onProgress: (p) => progress.update(p.done, p.total, p.failed ? `  ${p.failed} failed` : '') })
          .finally(() => progress.end());
        const model = core.getModel();
        const provider = model.activeProviders.vision ?? null;
        if (opts.json) {
          writeJson({
            indexed: report.indexed,
            unchanged: report.unchanged,
            removed: report.removed,
            failed: report.failed.map((f) => ({ path: f.path, error: f.error })),
            offline: report.offline,
            seconds: report.seconds,
            model: model.pack.name,
            provider,
          });
        } else printIndexReport(report, `${model.pack.name}${provider ? ` on ${provider}` : ''}`);
      }, { shortLived: true });
    },
  },
  watch: {
    usage: USAGE.watch,
    async run(opts) {
      const folders = needArgs(opts, 1, this.usage);
      await withCore(opts, async (core) => {
        const watching = await watchFolders(core, folders, {
          onReport: (r) => {
            if (opts.json) writeJson({ indexed: r.indexed, unchanged: r.unchanged, removed: r.removed, failed: r.failed.map((f) => ({ path: f.path, error: f.error })), seconds: r.seconds });
            else if (r.indexed || r.removed || r.failed.length) printIndexReport(r, core.getModel().pack.name);
          },
          onError: (m) => process.stderr.write(`warning: ${m}\n`),
        });
        if (!opts.json) process.stderr.write(`watching ${folders.length} folder(s); Ctrl-C to stop\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        // Finish the run in flight so no batch is cut short, then close the catalog cleanly.
        await watching.close();
      });
    },
  },
  search: {
    usage: USAGE.search,
    async run(opts) {
      const query = needArgs(opts, 1, this.usage).join(' ');
      await withCore(
        opts,
        async (core) => {
          const results = await core.search(query, { ...(opts.limit ? { limit: opts.limit } : {}), all: opts.all, ...(opts.tag ? { tag: opts.tag } : {}) });
          printResults(results, opts.json, `no photo matches "${query}" clearly; try --all to see the closest ones`);
        },
        { singleTextQuery: true },
      );
    },
  },
  similar: {
    usage: USAGE.similar,
    async run(opts) {
      const photos = needArgs(opts, 1, this.usage);
      if (photos.length > 20) throw new UserError('similar takes at most 20 photos');
      await withCore(opts, async (core) => {
        const options = { ...(opts.limit ? { limit: opts.limit } : {}), all: opts.all };
        if (photos.length === 1 && !opts.text) {
          printResults(await core.similar(photos[0]!, options), opts.json, 'no clearly similar photo; try --all to see the closest ones');
          return;
        }
        const missing = photos.filter((p) => !core.catalog.photos.byPath(path.resolve(p)));
        if (missing.length > 0) throw new UserError(`not in the library: ${missing.join(', ')} (index its folder first)`);
        const ids = photos.map((p) => core.catalog.photos.byPath(path.resolve(p))!.id);
        printResults(await core.likeThese(ids, opts.text, options), opts.json, 'no photo is clearly like these; try --all to see the closest ones');
      });
    },
  },
  dupes: {
    usage: USAGE.dupes,
    async run(opts) {
      await withCore(opts, async (core) => {
        const progress = cliProgress(opts);
        progress.start('comparing photos');
        const groups = await core
          .duplicates({ ...(opts.threshold ? { thresholds: { similarCosine: opts.threshold } } : {}), onProgress: (p) => progress.update(p.done, p.total) })
          .finally(() => progress.end());
        // Only copies are resolved: edits and similar shots (bursts) are different photos to choose between by eye.
        const resolvable = groups.filter((g) => g.kind === 'exact' || g.kind === 'near');
        let resolved: ResolveOutcome[] | undefined;
        if (opts.resolve) {
          const count = resolvable.reduce((n, g) => n + g.photos.length - 1, 0);
          const question = `Move ${count} duplicate file(s) to the trash, keeping one photo of each of ${resolvable.length} group(s)?`;
          if (!opts.yes) {
            if (opts.json || !process.stdin.isTTY) throw new UserError('--resolve moves files to the trash: confirm with --yes when not at a terminal');
            printGroups(resolvable);
            if (!(await confirm(question))) {
              process.stdout.write('nothing moved\n');
              return;
            }
          }
          resolved = [];
          for (const g of resolvable) resolved.push(await resolveGroup(core.catalog, g));
        }
        if (opts.json) {
          writeJson({
            groups: groups.map((g) => ({
              kind: g.kind,
              paths: g.photos.map((p) => p.path),
              keep: g.keep.photo.path,
              reason: g.keep.reason,
              ...(g.mirrored ? { mirrored: true } : {}),
            })),
            ...(resolved ? { trashed: resolved.flatMap((r) => r.trashed), failed: resolved.flatMap((r) => r.failed) } : {}),
          });
          return;
        }
        if (resolved) {
          const failed = resolved.flatMap((r) => r.failed);
          process.stdout.write(`${resolved.flatMap((r) => r.trashed).length} file(s) moved to the trash\n`);
          for (const f of failed) process.stdout.write(`  not moved: ${shownPath(f.path)}: ${f.error}\n`);
          return;
        }
        printGroups(groups);
      });
    },
  },
  'not-dupes': {
    usage: USAGE['not-dupes'],
    async run(opts) {
      const [a, b] = needArgs(opts, 2, this.usage).map((p) => path.resolve(p));
      await withCore(opts, async (core) => {
        const pa = core.catalog.photos.byPath(a!);
        const pb = core.catalog.photos.byPath(b!);
        if (!pa || !pb) throw new UserError(`not in the library: ${!pa ? a : b}`);
        core.catalog.notDuplicates.add(pa.id, pb.id);
        if (opts.json) writeJson({ notDuplicates: [a, b] });
      });
    },
  },
  'embed-image': {
    usage: USAGE['embed-image'],
    async run(opts) {
      const [file] = needArgs(opts, 1, this.usage);
      const absolute = path.resolve(file!);
      await withCore(opts, async (core) => {
        const model = core.getModel();
        let bytes: Buffer;
        try {
          bytes = fs.readFileSync(toFsPath(absolute));
        } catch (err) {
          throw new UserError(`cannot read ${absolute}: ${(err as Error).message}`);
        }
        const decoded = await decodePhoto(bytes, model.decodeSizes).catch((err: Error) => {
          throw new UserError(`${absolute}: ${err.message}`);
        });
        const [embedding] = await model.embedCrops([await model.cropFor(decoded)]);
        writeJson({ path: absolute, embedding: Array.from(embedding!) });
      });
    },
  },
  'embed-text': {
    usage: USAGE['embed-text'],
    async run(opts) {
      const text = needArgs(opts, 1, this.usage).join(' ');
      await withCore(
        opts,
        async (core) => {
          const model = core.getModel();
          const result = await model.embedText(text);
          // The contract gives the 77 ids as OpenAI's clip.tokenize does (0-padded); the model itself is fed
          // the unpadded sequence (see ClipTextEncoder).
          writeJson({ text, ids: model.getTokenizer().encodePadded(text, 0), embedding: Array.from(result.embedding) });
        },
        { singleTextQuery: true },
      );
    },
  },
  ...MODEL_COMMANDS,
  ...ALBUM_COMMANDS,
  ...MARK_COMMANDS,
};
