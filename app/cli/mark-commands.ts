import { FLAG_CHOICES, LABEL_CHOICES, type FlagChoice, type LabelChoice } from '../marks/marks.js';
import { UserError } from '../util/errors.js';
import { failedPaths, report } from './album-commands.js';
import { updateSmartAlbums, withCore, type Command } from './open-core.js';
import type { CliOptions } from './options.js';
import { USAGE } from './usage.js';

/** `rate`, `flag`, `label`: culling marks on photos and folders (see app/marks/); spread into COMMANDS. */
export const MARK_COMMANDS: Record<string, Command> = {
  rate: {
    usage: USAGE.rate,
    async run(opts) {
      const { photos, value } = photosThenValue(opts, USAGE.rate);
      const rating = Number(value);
      if (!/^[0-5]$/.test(value)) throw new UserError(`a rating is 0 to 5 stars, not "${value}"`);
      await withCore(opts, async (core) => {
        const change = core.marks.rate(photos, rating);
        report(opts, { rating, photos: change.photos, failed: failedPaths(change.failed) }, `${change.photos} photo(s) rated ${rating}`);
        await updateSmartAlbums(core);
      });
    },
  },
  flag: {
    usage: USAGE.flag,
    async run(opts) {
      const { photos, value } = photosThenValue(opts, USAGE.flag);
      if (!(FLAG_CHOICES as readonly string[]).includes(value)) throw new UserError(`a flag is one of ${FLAG_CHOICES.join(', ')}, not "${value}"`);
      await withCore(opts, async (core) => {
        const change = core.marks.flag(photos, value as FlagChoice);
        report(opts, { flag: value, photos: change.photos, failed: failedPaths(change.failed) }, `${change.photos} photo(s) flagged ${value}`);
        await updateSmartAlbums(core);
      });
    },
  },
  label: {
    usage: USAGE.label,
    async run(opts) {
      const { photos, value } = photosThenValue(opts, USAGE.label);
      if (!(LABEL_CHOICES as readonly string[]).includes(value)) throw new UserError(`a label is one of ${LABEL_CHOICES.join(', ')}, not "${value}"`);
      await withCore(opts, async (core) => {
        const change = core.marks.label(photos, value as LabelChoice);
        report(opts, { label: value, photos: change.photos, failed: failedPaths(change.failed) }, `${change.photos} photo(s) labelled ${value}`);
        await updateSmartAlbums(core);
      });
    },
  },
};

/** `<photo or folder>... <value>`: the value comes last, so a shell glob can precede it. */
function photosThenValue(opts: CliOptions, usage: string): { photos: string[]; value: string } {
  const value = opts.positionals.at(-1);
  const photos = opts.positionals.slice(0, -1);
  if (value === undefined || photos.length === 0) throw new UserError(`usage: ${usage}`);
  return { photos, value: value.toLowerCase() };
}
