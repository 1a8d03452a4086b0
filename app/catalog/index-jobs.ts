import type { Database, Statement } from 'better-sqlite3';

export type JobState = 'pending' | 'processing' | 'done' | 'failed';

export interface IndexJob {
  path: string;
  folderId: number | null;
  state: JobState;
  attempts: number;
  nextAttemptAt: number;
  reason: string | null;
  size: number | null;
  mtimeMs: number | null;
  updatedAt: number;
}

const COLUMNS = `path, folder_id AS folderId, state, attempts, next_attempt_at AS nextAttemptAt, reason, size, mtime_ms AS mtimeMs,
  updated_at AS updatedAt`;

/**
 * SQL for `index_jobs`: the persistent queue of files to index. A file is `pending` when found, `processing`
 * while decoded and embedded, then `done`, or `failed` with a reason (a bad file, kept so it is not decoded
 * again until it changes). Transient errors put it back to `pending` with a later `next_attempt_at`. After a
 * crash, `pending` and `processing` rows are what is left to do.
 */
export class IndexJobStore {
  private readonly enqueueStmt: Statement<{ path: string; folderId: number | null; size: number; mtimeMs: number; now: number }>;
  private readonly startStmt: Statement<{ path: string; now: number }>;
  private readonly doneStmt: Statement<{ path: string; now: number }>;
  private readonly retryStmt: Statement<{ path: string; reason: string; nextAttemptAt: number; now: number }>;
  private readonly failStmt: Statement<{ path: string; reason: string; now: number }>;
  private readonly getStmt: Statement<[string], IndexJob>;
  private readonly dueStmt: Statement<[number, number], IndexJob>;
  private readonly waitingStmt: Statement<[number], IndexJob>;
  private readonly countsStmt: Statement<[], { state: JobState; n: number }>;
  private readonly forgetStmt: Statement<[string]>;
  private readonly pruneDoneStmt: Statement<[number]>;

  constructor(db: Database) {
    // A file found again keeps its attempt count while it is still waiting (pending/processing/failed on the
    // same bytes); a changed file starts over.
    this.enqueueStmt = db.prepare(`
      INSERT INTO index_jobs (path, folder_id, state, attempts, next_attempt_at, size, mtime_ms, updated_at)
      VALUES (@path, @folderId, 'pending', 0, 0, @size, @mtimeMs, @now)
      ON CONFLICT(path) DO UPDATE SET
        folder_id = excluded.folder_id,
        attempts = CASE WHEN size IS excluded.size AND mtime_ms IS excluded.mtime_ms AND state != 'done' THEN attempts ELSE 0 END,
        next_attempt_at = CASE WHEN size IS excluded.size AND mtime_ms IS excluded.mtime_ms AND state = 'pending' THEN next_attempt_at ELSE 0 END,
        state = 'pending', reason = NULL, size = excluded.size, mtime_ms = excluded.mtime_ms, updated_at = excluded.updated_at`);
    this.startStmt = db.prepare("UPDATE index_jobs SET state = 'processing', attempts = attempts + 1, updated_at = @now WHERE path = @path");
    this.doneStmt = db.prepare("UPDATE index_jobs SET state = 'done', reason = NULL, updated_at = @now WHERE path = @path");
    this.retryStmt = db.prepare(
      "UPDATE index_jobs SET state = 'pending', reason = @reason, next_attempt_at = @nextAttemptAt, updated_at = @now WHERE path = @path",
    );
    this.failStmt = db.prepare("UPDATE index_jobs SET state = 'failed', reason = @reason, updated_at = @now WHERE path = @path");
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM index_jobs WHERE path = ?`);
    this.dueStmt = db.prepare(
      `SELECT ${COLUMNS} FROM index_jobs WHERE folder_id = ? AND state IN ('pending', 'processing') AND next_attempt_at <= ? ORDER BY path`,
    );
    this.waitingStmt = db.prepare(`SELECT ${COLUMNS} FROM index_jobs WHERE folder_id = ? AND state IN ('pending', 'processing') ORDER BY next_attempt_at`);
    this.countsStmt = db.prepare('SELECT state, count(*) AS n FROM index_jobs GROUP BY state');
    this.forgetStmt = db.prepare('DELETE FROM index_jobs WHERE path = ?');
    this.pruneDoneStmt = db.prepare("DELETE FROM index_jobs WHERE folder_id = ? AND state = 'done'");
  }

  enqueue(path: string, folderId: number | null, size: number, mtimeMs: number, now = Date.now()): void {
    this.enqueueStmt.run({ path, folderId, size, mtimeMs, now });
  }

  /** Marks the job processing and counts the attempt. */
  start(path: string, now = Date.now()): void {
    this.startStmt.run({ path, now });
  }

  done(path: string, now = Date.now()): void {
    this.doneStmt.run({ path, now });
  }

  /** Back to pending, not before `nextAttemptAt` (a transient error: file busy, too many open files). */
  retryLater(path: string, reason: string, nextAttemptAt: number, now = Date.now()): void {
    this.retryStmt.run({ path, reason, nextAttemptAt, now });
  }

  /** Failed for good (until the file changes): a bad file. */
  fail(path: string, reason: string, now = Date.now()): void {
    this.failStmt.run({ path, reason, now });
  }

  get(path: string): IndexJob | undefined {
    return this.getStmt.get(path);
  }

  /** Pending or interrupted (processing) jobs of a folder whose time has come: what a restart resumes. */
  due(folderId: number, now = Date.now()): IndexJob[] {
    return this.dueStmt.all(folderId, now);
  }

  /** Every unfinished job of a folder, soonest first. */
  waiting(folderId: number): IndexJob[] {
    return this.waitingStmt.all(folderId);
  }

  counts(): Record<JobState, number> {
    const counts: Record<JobState, number> = { pending: 0, processing: 0, done: 0, failed: 0 };
    for (const row of this.countsStmt.all()) counts[row.state] = row.n;
    return counts;
  }

  forget(path: string): void {
    this.forgetStmt.run(path);
  }

  /** Done jobs carry no information once their photo is stored; dropped after a complete scan of the folder. */
  pruneDone(folderId: number): void {
    this.pruneDoneStmt.run(folderId);
  }
}
