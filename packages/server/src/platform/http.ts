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
import { errorStatus, unstorableTextPath } from '@tide/contract';
import type { Caller } from './context.ts';
import { AppError, pgErrorOf } from './errors.ts';
import { readerLanguage, type ReaderLanguage } from './language.ts';

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

type RequestPart = 'body' | 'querystring' | 'params';

const partNames: Record<ReaderLanguage, Record<RequestPart, string>> = {
  'zh-CN': { body: '字段', querystring: '查询参数', params: '路径参数' },
  en: { body: 'body', querystring: 'query', params: 'path' },
};

function unstorableMessage(lang: ReaderLanguage, part: RequestPart, path: string): string {
  const where = partNames[lang][part];
  return lang === 'en'
    ? `Invalid ${where} field ${path}: it contains a character that cannot be stored (NUL or a lone UTF-16 surrogate); remove it and try again`
    : `${where} ${path} 含有无法保存的字符（空字符或不成对的 UTF-16 代理字符），请删除后重试`;
}

/**
 * Refuses text PostgreSQL cannot keep (NUL, lone surrogates) anywhere in the body, the
 * query or the path, naming the field in the reader's language. Runs before every route's
 * own validation, so a route added later is covered without saying so.
 */
export async function refuseUnstorableText(
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  const parts: [RequestPart, unknown][] = [
    ['params', req.params],
    ['querystring', req.query],
    ['body', req.body],
  ];
  for (const [part, value] of parts) {
    const found = unstorableTextPath(value);
    if (!found) continue;
    const path = found.join('.');
    const message = unstorableMessage(readerLanguage(req.headers['accept-language']), part, path);
    return sendError(reply, 'VALIDATION_FAILED', message, [{ path, in: part, message }]);
  }
  return undefined;
}

/**
 * An update that names no field (`{}`, or only fields the schema does not know) is refused
 * the same way on every PATCH route, rather than reaching a service with nothing to set.
 */
export async function refuseEmptyPatch(
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  if (req.method !== 'PATCH') return undefined;
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return undefined;
  if (Object.values(b).some((v) => v !== undefined)) return undefined;
  const message =
    readerLanguage(req.headers['accept-language']) === 'en'
      ? 'Nothing to change: the body names no field to update'
      : '没有要修改的内容：请求体未包含任何要更新的字段';
  return sendError(reply, 'VALIDATION_FAILED', message);
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
}

/** Turns every error into SPEC §14 JSON; logs 5xx with the request id and hides their internals. */
export function errorHandler(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof AppError) {
    // A refusal that knows when to come back says so the way HTTP clients read it.
    const wait = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.code === 'RATE_LIMITED' && typeof wait === 'number')
      void reply.header('Retry-After', String(Math.ceil(wait)));
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
