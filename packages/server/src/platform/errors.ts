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

/** Fields of a PostgreSQL error that name things, never values. */
const pgNameFields = [
  'code',
  'severity',
  'constraint',
  'table',
  'column',
  'schema',
  'dataType',
  'routine',
] as const;

/**
 * The message without the values it quotes: drizzle appends every parameter of the
 * failed query (record contents, token hashes), and PostgreSQL quotes the offending
 * input (`invalid input syntax for type uuid: "…"`).
 */
function redactMessage(message: string): string {
  return message
    .replace(/\nparams: [\s\S]*$/, '\nparams: [redacted]')
    .replace(/: "[\s\S]*"$/, ': "[redacted]"');
}

/**
 * The log form of an error and its causes, without the values they carry: the query
 * parameters, PostgreSQL's `detail` (a check violation quotes the whole row), `where`
 * and `internalQuery`. Names, codes, the SQL text and the stack frames stay, so a
 * failure can still be traced.
 */
export interface LoggedError {
  type: string;
  message: string;
  stack: string;
  [field: string]: unknown;
}

export function redactedError(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error) || depth > 5)
    return { type: typeof err, message: redactMessage(String(err)), stack: '' };
  const message = redactMessage(err.message);
  const frames = (err.stack ?? '').split('\n').filter((l) => l.startsWith('    at '));
  const out: LoggedError = {
    type: err.name,
    message,
    stack: [`${err.name}: ${message}`, ...frames].join('\n'),
  };
  const fields = err as unknown as Record<string, unknown>;
  for (const f of pgNameFields) if (typeof fields[f] === 'string') out[f] = fields[f];
  if (typeof fields.query === 'string') out.query = fields.query;
  if (err.cause !== undefined) out.cause = redactedError(err.cause, depth + 1);
  return out;
}
