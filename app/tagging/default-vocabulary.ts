import fs from 'node:fs';
import { resourcePath } from '../util/app-root.js';
import { UserError } from '../util/errors.js';
import { parseVocabulary, type Vocabulary } from './vocabulary.js';

/** The vocabulary shipped with Shoebox (resources/vocabulary.txt), written for photographers. */
export const DEFAULT_VOCABULARY_FILE = resourcePath('vocabulary.txt');

export function loadVocabularyFile(file: string): Vocabulary {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read vocabulary ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseVocabulary(text, file);
}
