import crypto from 'node:crypto';
import fs from 'node:fs';

/** Hashes a file to lowercase hex sha256; tests pass one that counts what it reads. */
export type FileHasher = (file: string) => Promise<string>;

/** sha256 of a file, streamed (model files are hundreds of MB). Native crypto: ~1 GB/s here. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
