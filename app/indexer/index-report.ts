import type { FailureStage } from '../catalog/file-errors.js';

export interface FailedFile {
  path: string;
  error: string;
  stage: FailureStage;
}

/** The outcome of one index run; the CLI prints it as its `--json` contract. */
export interface IndexReport {
  indexed: number;
  unchanged: number;
  /** Photos whose files are gone from a folder that was scanned completely. */
  removed: number;
  failed: FailedFile[];
  /** Roots found missing (or empty while photos were catalogued there): their photos are kept, marked offline. */
  offline: string[];
  seconds: number;
}

export interface IndexProgress {
  seen: number;
  /** Files finished this run (indexed, unchanged or failed), out of `total`. */
  done: number;
  indexed: number;
  unchanged: number;
  failed: number;
  /** Image files under the folders, once counted (see [Note: index total]); absent until then. */
  total?: number;
  current?: string;
}
