import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defaultCacheDir } from '../library-paths.js';

/**
 * [Note: a tokenizer for the texts at hand]
 * Building @huggingface/tokenizers' BPE from a CLIP tokenizer.json (49 408 tokens, 48 894 merges) takes
 * 300-350 ms on the 2-core machine: JSON.parse of the 1.5 MB file (~90 ms), then Maps over both tables
 * (~200 ms, most of it `Object.entries` of a 49 000-key object). A cold `shoebox search` waited on nothing else
 * once the text session had opened. It knows every text it will tokenize from its arguments (the query and its
 * alternatives), and byte-pair encoding works within one word at a time: each merge joins two tokens into one
 * that is a contiguous piece of the word. A merge whose joined token is a piece of none of the texts' words
 * therefore never applies to them, and a token that is no such piece is never their output. So the library is
 * given the same tokenizer.json with only those merges, in their order (BPE compares ranks only between the
 * merges a word offers, so relative order is all that counts), and only those tokens with their ids, plus the
 * special ones: the same ids for those texts, built in a few ms. `test/model/tokenizer-digest.test.ts` checks
 * that against the full tokenizer on every dev query and its alternatives.
 *
 * The tables come from a digest of tokenizer.json (both tables as one string each, read in ~5 ms) written
 * beside the pack (or in the user cache where the pack's folder is read-only) the first time any process builds
 * the full tokenizer, i.e. when the pack is installed or first used, keyed by the file's size and mtime. The
 * shortcut is taken only where it is exact by construction: texts of printable ASCII (for those, byte-level
 * BPE's alphabet is the characters themselves and the normaliser only lowercases), a vocabulary whose ids are
 * 0…n−1, and tokens and merges that a newline or space cannot confuse. Anything else builds the
 * full tokenizer, as before.
 */
export const DIGEST_FILE = '.shoebox-tokenizer.json';
const FORMAT = 'shoebox-tokenizer/1';

/** tokenizer.json's tables and everything else in it (the skeleton: normaliser, pre-tokeniser, post-processor, …). */
export interface TokenizerTables {
  skeleton: Record<string, unknown> & { model: Record<string, unknown> };
  /** Tokens in id order (token i has id i). */
  tokens: string[];
  /** Merges in rank order, as "left right". */
  merges: string[];
}

interface DigestRecord {
  format: string;
  size: number;
  mtimeMs: number;
  skeleton: TokenizerTables['skeleton'];
  tokens: string;
  merges: string;
}

function places(tokenizerFile: string): string[] {
  const key = crypto.createHash('sha256').update(path.resolve(tokenizerFile)).digest('hex').slice(0, 32);
  return [path.join(path.dirname(tokenizerFile), DIGEST_FILE), path.join(defaultCacheDir(), 'tokenizers', `${key}.json`)];
}

/** The digest of `tokenizerFile` if one matches its current size and mtime. */
export function readTokenizerDigest(tokenizerFile: string): TokenizerTables | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(tokenizerFile);
  } catch {
    return undefined;
  }
  for (const file of places(tokenizerFile)) {
    try {
      const record = JSON.parse(fs.readFileSync(file, 'utf8')) as DigestRecord;
      if (record.format !== FORMAT || record.size !== stat.size || record.mtimeMs !== stat.mtimeMs) continue;
      return { skeleton: record.skeleton, tokens: record.tokens.split('\n'), merges: record.merges.split('\n') };
    } catch {
      // absent, unreadable or torn: the next place, else none
    }
  }
  return undefined;
}

/**
 * Whether a digest of the file's current size and mtime exists, from the head of the record alone (its format,
 * size and mtime come first): every whole tokenizer built asks, and reading the whole 1 MB record took ~40 ms.
 */
function hasCurrentDigest(tokenizerFile: string): boolean {
  const stat = fs.statSync(tokenizerFile);
  const head = `{"format":${JSON.stringify(FORMAT)},"size":${stat.size},"mtimeMs":${stat.mtimeMs},`;
  return places(tokenizerFile).some((file) => {
    try {
      const fd = fs.openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(head.length);
        return fs.readSync(fd, buffer, 0, head.length, 0) === head.length && buffer.toString('utf8') === head;
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return false;
    }
  });
}

/**
 * Writes the digest of a parsed tokenizer.json unless a current one exists, or unless its tables do not fit the
 * digest's assumptions (then the full tokenizer is always built). Never throws: a digest only saves time.
 */
export function writeTokenizerDigest(tokenizerFile: string, json: Record<string, unknown>): void {
  try {
    if (hasCurrentDigest(tokenizerFile)) return;
    const tables = tablesOf(json);
    if (!tables) return;
    const stat = fs.statSync(tokenizerFile);
    const body = JSON.stringify({ format: FORMAT, size: stat.size, mtimeMs: stat.mtimeMs, skeleton: tables.skeleton, tokens: tables.tokens.join('\n'), merges: tables.merges.join('\n') } satisfies DigestRecord);
    for (const file of places(tokenizerFile)) {
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        fs.writeFileSync(temp, body);
        fs.renameSync(temp, file);
        return;
      } catch {
        // a read-only pack folder: the user cache next
      }
    }
  } catch {
    // an unreadable file or an unexpected layout: no digest, the full tokenizer every time
  }
}

/** A BPE tokenizer.json's tables, or undefined when they do not fit the digest (see the note). */
function tablesOf(json: Record<string, unknown>): TokenizerTables | undefined {
  const model = json['model'] as { type?: string; vocab?: Record<string, number>; merges?: (string | [string, string])[] } | undefined;
  if (!model || model.type !== 'BPE' || !model.vocab || !Array.isArray(model.merges)) return undefined;
  // By id (JSON objects list integer-like keys such as "0" first, whatever the file's order).
  const entries = Object.entries(model.vocab);
  const tokens: string[] = new Array<string>(entries.length);
  for (const [token, id] of entries) {
    if (!Number.isInteger(id) || id < 0 || id >= entries.length || tokens[id] !== undefined || token.includes('\n')) return undefined;
    tokens[id] = token;
  }
  const merges: string[] = [];
  for (const m of model.merges) {
    const [a, b] = typeof m === 'string' ? m.split(' ') : m;
    if (a === undefined || b === undefined || /[ \n]/.test(a + b) || (typeof m === 'string' && m.split(' ').length !== 2)) return undefined;
    merges.push(`${a} ${b}`);
  }
  const { vocab: _v, merges: _m, ...rest } = model;
  return { skeleton: { ...json, model: rest }, tokens, merges };
}

/** Whether the shortcut is exact for these texts (see the note): printable ASCII and spaces only. */
export function digestFits(texts: readonly string[]): boolean {
  return texts.every((t) => /^[\x20-\x7e]*$/.test(t));
}

/**
 * tokenizer.json for @huggingface/tokenizers with only the merges and tokens that `texts` can use (see the
 * note); the caller checks digestFits(texts) first.
 */
export function tokenizerJsonFor(tables: TokenizerTables, texts: readonly string[]): Record<string, unknown> {
  const END = '</w>';
  const bare = (token: string) => (token.endsWith(END) ? token.slice(0, -END.length) : token);
  // Every piece of every word up to the longest token's length (no longer piece can be a token or a merge's).
  let longest = 0;
  for (const token of tables.tokens) longest = Math.max(longest, bare(token).length);
  const pieces = new Set<string>();
  for (const text of texts) {
    for (const word of text.toLowerCase().split(/\s+/)) {
      for (let i = 0; i < word.length; i++) for (let j = i + 1; j <= Math.min(word.length, i + longest); j++) pieces.add(word.slice(i, j));
    }
  }
  const model = tables.skeleton.model as { unk_token?: string | null };
  const special = new Set([...((tables.skeleton['added_tokens'] as { content: string }[] | undefined) ?? []).map((t) => t.content), ...(model.unk_token ? [model.unk_token] : [])]);
  const vocab: Record<string, number> = {};
  tables.tokens.forEach((token, id) => {
    if (special.has(token) || pieces.has(bare(token))) vocab[token] = id;
  });
  const merges = tables.merges.filter((m) => pieces.has(bare(m.replace(' ', ''))));
  return { ...tables.skeleton, model: { ...tables.skeleton.model, vocab, merges } };
}
