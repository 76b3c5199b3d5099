import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import pinoPretty from 'pino-pretty';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from './config.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { leadsRoutes } from './modules/leads/leads.routes.ts';
import { customersRoutes } from './modules/customers/customers.routes.ts';
import { opportunitiesRoutes } from './modules/opportunities/opportunities.routes.ts';
import { dedupeRoutes } from './modules/dedupe/dedupe.routes.ts';
import { exportsRoutes } from './modules/exports/exports.routes.ts';
import { importsRoutes } from './modules/imports/imports.routes.ts';
import { settingsRoutes } from './modules/tenants/settings.ts';
import { agendaRoutes } from './modules/followups/agenda.ts';
import { followUpsRoutes } from './modules/followups/followups.routes.ts';
import { orgRoutes } from './modules/org/org.routes.ts';
import { rolesRoutes } from './modules/users/roles.routes.ts';
import { territoryRoutes } from './modules/org/territories.ts';
import { jobsRoutes } from './modules/pool/jobs.routes.ts';
import { notificationsRoutes } from './modules/pool/notifications.ts';
import { poolsRoutes } from './modules/pool/pools.routes.ts';
import { usersRoutes } from './modules/users/users.routes.ts';
import { authHook } from './platform/auth.ts';
import type { Database } from './platform/db.ts';
import {
  errorHandler,
  refuseEmptyPatch,
  refuseUnstorableText,
  sendError,
  type App,
} from './platform/http.ts';
import { redactedError } from './platform/errors.ts';
import { createJobs, type Jobs } from './platform/jobs.ts';

export interface Deps {
  config: Config;
  db: Database;
  /** Durable background jobs; modules define their queues while routes are registered. */
  jobs: Jobs;
}

export const API_PREFIX = '/api/v1';
/** JSON bodies above this are refused with 413; imports upload through their own route. */
export const BODY_LIMIT = 1024 * 1024;
const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface BuildOptions {
  logger?: FastifyServerOptions['logger'];
  /** Where the configured logger writes instead of stdout (tests read what it logged). */
  logStream?: NodeJS.WritableStream;
}

function loggerOptions(
  config: Config,
  stream?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  const base = {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    // Errors are logged without the values they carry (query parameters, row contents).
    serializers: { err: redactedError },
  };
  if (config.logFormat === 'pretty') {
    // In-process and synchronous: a terminal reads a few lines a second, and the lines come
    // out in order with the sign-in text printed beside them.
    const pretty = pinoPretty({
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,method,url,statusCode,responseTime',
      singleLine: true,
      sync: true,
      destination: stream ?? 1,
    });
    return { ...base, stream: pretty };
  }
  return stream ? { ...base, stream } : base;
}

/**
 * One line per answered request, written when it is answered, in place of Fastify's two
 * ("incoming request" and "request completed"), which double every entry in a terminal.
 */
class RequestLog extends LogController {
  override incomingRequest(): void {
    // Nothing yet: the line is written once the answer is known.
  }

  override routeNotFound(): void {
    // The completed line already says 404.
  }

  override requestCompleted(
    error: Error | null | undefined,
    req: FastifyRequest,
    reply: FastifyReply,
  ): void {
    // The query string stays out: it carries search terms, names and phone numbers.
    const url = req.url.split('?')[0] ?? req.url;
    const responseTime = Math.round(reply.elapsedTime * 10) / 10;
    const status = reply.statusCode;
    const fields = { method: req.method, url, statusCode: status, responseTime };
    const line = `${req.method} ${url} ${status} ${responseTime} ms`;
    if (error) req.log.error({ ...fields, err: error }, line);
    else req.log.info(fields, line);
  }
}

export async function buildApp(base: Omit<Deps, 'jobs'>, opts: BuildOptions = {}): Promise<App> {
  const { config, db } = base;
  const app = Fastify({
    logger: opts.logger ?? loggerOptions(config, opts.logStream),
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    requestIdHeader: 'x-request-id',
    logController: new RequestLog(),
    genReqId: () => crypto.randomUUID(),
    return503OnClosing: true,
    // A path that is not valid percent-encoding answers as every other bad request does.
    frameworkErrors: (err, _req, reply) => {
      void sendError(reply, 'VALIDATION_FAILED', `Malformed request: ${err.message}`);
    },
  }).withTypeProvider<ZodTypeProvider>();

  const jobs = createJobs(db, app.log, {
    pollingIntervalSeconds: config.jobPollSeconds,
    schedules: config.jobSchedules,
  });
  const deps: Deps = { ...base, jobs };
  // Workers start once every module has defined its queues, and stop before the database closes.
  app.addHook('onReady', () => jobs.start());
  app.addHook('onClose', () => jobs.stop());

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.decorateRequest('caller', null);
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
    // API answers carry personal data: no browser or proxy may keep them.
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      void reply.header('cache-control', 'no-store');
  });
  app.addHook('preValidation', refuseUnstorableText);
  app.addHook('preHandler', refuseEmptyPatch);

  // Every API route must say who may call it; a route that does not, fails at start.
  app.addHook('onRoute', (route) => {
    if (
      route.url.startsWith(API_PREFIX) &&
      route.config?.auth === undefined &&
      route.method !== 'HEAD'
    ) {
      throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.auth`);
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd writes its styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Tide CRM API',
        version: '1.0.0',
        description: 'REST API of Tide CRM. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onRequest', authHook(db.db));

  await app.register(
    (api: App, _opts, done) => {
      api.get('/health', {
        config: { auth: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness: answers without touching the database',
          response: { 200: z.object({ ok: z.literal(true) }) },
        },
        handler: () => ({ ok: true as const }),
      });
      api.get('/openapi.json', {
        config: { auth: 'public' },
        schema: { hide: true },
        handler: () => app.swagger(),
      });
      authRoutes(api, deps);
      orgRoutes(api, deps);
      usersRoutes(api, deps);
      rolesRoutes(api, deps);
      auditRoutes(api, deps);
      leadsRoutes(api, deps);
      customersRoutes(api, deps);
      opportunitiesRoutes(api, deps);
      dedupeRoutes(api, deps);
      exportsRoutes(api, deps);
      importsRoutes(api, deps);
      settingsRoutes(api, deps);
      agendaRoutes(api, deps);
      followUpsRoutes(api, deps);
      poolsRoutes(api, deps);
      notificationsRoutes(api, deps);
      territoryRoutes(api, deps);
      jobsRoutes(api, deps);
      done();
    },
    { prefix: API_PREFIX },
  );

  const indexHtml = path.join(config.webDist, 'index.html');
  const hasUi = fs.existsSync(indexHtml);
  if (hasUi) {
    await app.register(fastifyStatic, {
      root: config.webDist,
      wildcard: false,
      index: false,
      // The build writes .br and .gz beside each file; the one the browser accepts is sent.
      preCompressed: true,
      setHeaders: (reply, file) => {
        // Vite names what it emits under assets/ by content hash: a new build is a new name,
        // so those never change and are kept for a year. The rest (index.html, which names
        // the current hashes, and public files) is checked with the server on every use.
        const hashed = path.relative(config.webDist, file).startsWith(`assets${path.sep}`);
        void reply.header('cache-control', hashed ? IMMUTABLE : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/'))
      return sendError(reply, 'NOT_FOUND', `No route ${req.method} ${url}`);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (hasUi) {
        const file = path.join(config.webDist, path.normalize(url));
        if (
          file.startsWith(config.webDist + path.sep) &&
          fs.existsSync(file) &&
          fs.statSync(file).isFile()
        ) {
          return reply.sendFile(path.relative(config.webDist, file));
        }
        // The single-page app routes everything else in the browser.
        return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
      }
      return reply
        .type('text/plain')
        .code(404)
        .send('The web UI is not built. Run `npm start` (it builds it) or `npm run build`.');
    }
    return sendError(reply, 'NOT_FOUND', `No route ${req.method} ${url}`);
  });

  return app;
}
