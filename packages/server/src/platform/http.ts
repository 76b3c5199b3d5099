import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { ErrorBody, ErrorCode, Permission } from '@tide/contract';
import { errorStatus } from '@tide/contract';
import type { Caller } from './context.ts';
import { AppError, pgErrorOf } from './errors.ts';
import { readerLanguage } from './language.ts';

/**
 * Every API route states who may call it: `public`, any `authenticated` user,
 * or the function permission it requires. A route without it refuses to
 * register, so no route can forget its check.
 */
export type RouteAuth = 'public' | 'authenticated' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    /** Set by the auth hook on every non-public route. */
    caller: Caller | null;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The authenticated caller of a route that is not public. */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return req.caller;
}

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string,
  details?: unknown,
): FastifyReply {
  return reply
    .code(errorStatus[code])
    .type('application/json')
    .send(body(code, message, details));
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

/** Turns every error into SPEC §14 JSON; logs 5xx with the request id and hides their internals. */
export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof AppError) {
    const message = err.messages?.[readerLanguage(req.headers['accept-language'])] ?? err.message;
    return sendError(reply, err.code, message, err.details);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const details = err.validation.map((v) => ({
      path: v.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      in: err.validationContext,
      message: v.message,
    }));
    const first = details[0];
    const message = first
      ? `Invalid ${first.in ?? 'request'}${first.path ? ` field ${first.path}` : ''}: ${first.message ?? 'invalid'}`
      : 'Invalid request';
    return sendError(reply, 'VALIDATION_FAILED', message, details);
  }
  if (isResponseSerializationError(err)) {
    req.log.error({ err, issues: err.cause.issues }, 'response does not match its schema');
    return sendError(reply, 'INTERNAL', 'Internal error');
  }
  const e = err as FastifyLikeError;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return sendError(reply, 'VALIDATION_FAILED', 'Malformed JSON body');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 'VALIDATION_FAILED', 'The JSON body is empty');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(
        reply,
        'VALIDATION_FAILED',
        'Unsupported content type; send application/json',
      );
    default:
      break;
  }
  if (pgErrorOf(err)?.code === '23505') {
    return sendError(reply, 'CONFLICT', 'A record with the same unique value already exists');
  }
  if (e.statusCode === 429)
    return sendError(reply, 'RATE_LIMITED', 'Too many requests; try again later');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return sendError(reply, 'VALIDATION_FAILED', e.message);
  }
  req.log.error({ err }, 'request failed');
  return sendError(reply, 'INTERNAL', 'Internal error');
}
