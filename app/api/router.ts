import { ZodError } from 'zod';
import { UserError, messageOf } from '../util/errors.js';
import { procedures, type ApiErrorBody, type ProcedureName } from './contract.js';
import { NotFoundError, type Handlers } from './handlers.js';

export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: ApiErrorBody };

/**
 * Validates a call against the contract and runs its handler. Every transport goes through here, so a
 * request from the browser, the Electron window or a test is checked the same way. Errors become an
 * ApiErrorBody; internal ones are reported without a stack trace and logged by the caller's onInternalError.
 */
export class ApiRouter {
  constructor(
    private readonly handlers: Handlers,
    private readonly onInternalError: (method: string, err: unknown) => void = () => {},
  ) {}

  async call(method: string, input: unknown): Promise<CallOutcome> {
    if (!Object.hasOwn(procedures, method)) return { ok: false, error: { code: 'unknown-procedure', message: `unknown procedure "${method}"` } };
    const name = method as ProcedureName;
    const parsed = procedures[name].safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid-input', message: describe(parsed.error) } };
    try {
      const handler = this.handlers[name] as (input: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      if (err instanceof UserError) return { ok: false, error: { code: 'user', message: err.message } };
      if (err instanceof NotFoundError) return { ok: false, error: { code: 'not-found', message: err.message } };
      this.onInternalError(method, err);
      return { ok: false, error: { code: 'internal', message: messageOf(err).split('\n')[0] ?? 'internal error' } };
    }
  }
}

function describe(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}
