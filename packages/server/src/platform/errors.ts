import { errorStatus, type ErrorCode } from '@tide/contract';
import type { ReaderLanguage } from './language.ts';

/** One message in every language; the error handler answers in the reader's. */
export type Messages = Record<ReaderLanguage, string>;

/** The one error type services throw; the error handler turns it into SPEC §14 JSON. */
export class AppError extends Error {
  readonly status: number;
  /** The message in each language, when the service wrote it in each. */
  readonly messages: Messages | undefined;
  constructor(
    readonly code: ErrorCode,
    message: string | Messages,
    readonly details?: unknown,
  ) {
    super(typeof message === 'string' ? message : message.en);
    this.name = 'AppError';
    this.status = errorStatus[code];
    this.messages = typeof message === 'string' ? undefined : message;
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this'): AppError =>
  new AppError('FORBIDDEN', message);
export const conflict = (message: string, details?: unknown): AppError =>
  new AppError('CONFLICT', message, details);
export const invalid = (message: string | Messages, details?: unknown): AppError =>
  new AppError('VALIDATION_FAILED', message, details);

/** The PostgreSQL error behind a driver or ORM error (drizzle wraps it as `cause`). */
export function pgErrorOf(err: unknown): { code: string; constraint?: string } | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
      return e as { code: string; constraint?: string };
  }
  return undefined;
}

/** Whether the error is a unique violation of the named constraint or index. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const pg = pgErrorOf(err);
  return pg?.code === '23505' && pg.constraint === constraint;
}
