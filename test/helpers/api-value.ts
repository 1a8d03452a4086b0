import type { CallOutcome } from '../../app/api/router.js';

/** The value of a successful call; a failed one throws with its code and message. */
export function valueOf<T>(outcome: CallOutcome): T {
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value as T;
}
