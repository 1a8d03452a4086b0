/**
 * An error meant for the user: the CLI prints its message on one line without a stack trace.
 * Anything else that escapes is a bug and is reported as such.
 */
export class UserError extends Error {
  override name = 'UserError';
}

export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
