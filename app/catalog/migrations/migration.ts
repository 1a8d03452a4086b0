/** One schema step. Applied in a transaction with `PRAGMA user_version` bumped to `version`. */
export interface Migration {
  version: number;
  name: string;
  up: string;
}
