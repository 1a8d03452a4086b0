import path from 'node:path';
import { loadVocabularyFile } from '../tagging/default-vocabulary.js';
import type { AutotagProgress } from '../tagging/tagger.js';
import { UserError } from '../util/errors.js';
import { needArgs, updateSmartAlbums, withCore, type Command } from './open-core.js';
import { writeJson } from './output.js';
import { cliProgress } from './progress.js';
import { USAGE } from './usage.js';

/** Tagging commands (see app/tagging/); spread into COMMANDS. */
export const TAG_COMMANDS: Record<string, Command> = {
  autotag: {
    usage: USAGE.autotag,
    async run(opts) {
      const vocabulary = opts.vocabulary ? loadVocabularyFile(opts.vocabulary) : undefined;
      await withCore(opts, async (core) => {
        const progress = cliProgress(opts);
        let phase = '';
        const onProgress = (p: AutotagProgress) => {
          if (p.phase !== phase) progress.start(p.phase === 'prompts' ? 'embedding tag prompts' : 'scoring photos');
          phase = p.phase;
          progress.update(p.done, p.total);
        };
        const report = await core
          .autotag({ ...(vocabulary ? { vocabulary } : {}), ...(opts.positionals.length > 0 ? { paths: opts.positionals } : {}), onProgress })
          .finally(() => progress.end());
        if (opts.json) writeJson(report);
        else process.stdout.write(`${report.suggestions} tag(s) suggested on ${report.photos} photo(s) from ${report.tags} vocabulary tag(s) (model ${report.model})\n`);
      });
    },
  },
  tags: {
    usage: USAGE.tags,
    async run(opts) {
      await withCore(opts, async (core) => {
        const [photo] = opts.positionals;
        if (!photo) {
          const counts = core.tagCounts();
          if (opts.json) writeJson({ tags: counts.map((c) => ({ name: c.name, path: c.key, photos: c.photos })) });
          else for (const c of counts) process.stdout.write(`${String(c.photos).padStart(6)}  ${c.key}\n`);
          return;
        }
        const tags = core.tagsOf(photo);
        if (opts.json) writeJson({ path: path.resolve(photo), tags });
        else if (tags.length === 0) process.stdout.write('no tags\n');
        else for (const t of tags) process.stdout.write(`${t.score.toFixed(2)}  ${t.path}  (${t.source}, ${t.state})\n`);
      });
    },
  },
  tag: {
    usage: USAGE.tag,
    async run(opts) {
      const [decision, ...more] = opts.tagDecisions;
      if (!decision || more.length > 0) throw new UserError(`usage: ${this.usage}`);
      await withCore(opts, async (core) => {
        if (opts.prompts.length > 0) {
          if (decision.decision !== 'add') throw new UserError('--prompt goes with --add');
          const tag = core.defineTag(decision.tag, opts.prompts);
          if (opts.positionals.length === 0) {
            if (opts.json) writeJson({ tag: tag.key, prompts: tag.prompts, photos: 0 });
            else process.stdout.write(`tag "${tag.key}" defined; run autotag to apply it\n`);
            return;
          }
        }
        const paths = needArgs(opts, 1, this.usage);
        const outcome = core.setTagDecision(paths, decision.tag, decision.decision);
        if (opts.json) writeJson({ tag: outcome.tag, decision: decision.decision, photos: outcome.photos });
        else process.stdout.write(`${decision.decision} "${outcome.tag}" on ${outcome.photos} photo(s)\n`);
        await updateSmartAlbums(core);
      });
    },
  },
  sidecars: {
    usage: USAGE.sidecars,
    async run(opts) {
      const [state] = needArgs(opts, 1, this.usage);
      if (state !== 'on' && state !== 'off') throw new UserError(`usage: ${this.usage}`);
      await withCore(opts, async (core) => {
        const report = core.setSidecars(state === 'on');
        if (opts.json) writeJson({ sidecars: state, ...(report ?? { written: 0, unchanged: 0, skipped: [] }) });
        else if (report) process.stdout.write(`sidecars on: ${report.written} written, ${report.unchanged} unchanged, ${report.skipped.length} left alone (written by another program)\n`);
        else process.stdout.write('sidecars off\n');
      });
    },
  },
};
