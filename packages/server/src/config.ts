import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TIDE_DATA_DIR: z.string().min(1).default('./data'),
  TIDE_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'lowercase letters, digits and _')
    .default('public'),
  TIDE_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  TIDE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  TIDE_LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
  TIDE_WEB_DIST: z.string().optional(),
  TIDE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  TIDE_JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  TIDE_JOB_SCHEDULES: z.enum(['true', 'false']).default('true'),
  TIDE_POOL_SWEEP_CRON: z.string().default('*/15 * * * *'),
  TIDE_CAPACITY_ADJUST_CRON: z.string().default('0 1 1 * *'),
  TIDE_IMPORT_STALE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(120),
  NODE_ENV: z.string().optional(),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** The PostgreSQL schema holding Tide's tables, for sharing a database. */
  dbSchema: string;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof envSchema>['TIDE_LOG_LEVEL'];
  /** Where the built web UI lives; served at `/` when present. */
  webDist: string;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (else it can be forged). */
  trustProxy: boolean;
  /** One readable line per event for a terminal, or JSON lines for a log collector. */
  logFormat: 'pretty' | 'json';
  /** How often idle job workers look for work queued by other instances. */
  jobPollSeconds: number;
  /** A running import without a checkpoint for this long may be resumed by anyone. */
  importStaleSeconds: number;
  /** Whether this instance sends cron jobs when due (any instance may; each slot runs once). */
  jobSchedules: boolean;
  /** When the pool sweep runs (cron, Asia/Shanghai). */
  poolSweepCron: string;
  /** When the monthly capacity adjustment runs (cron, Asia/Shanghai). */
  capacityAdjustCron: string;
}

export class ConfigError extends Error {}

/** The only place that reads `process.env`; fails listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means unset, as in most tools.
  const given = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.TIDE_DATA_DIR),
    dbSchema: e.TIDE_DB_SCHEMA,
    adminPassword: e.TIDE_ADMIN_PASSWORD,
    logLevel: e.TIDE_LOG_LEVEL,
    webDist: path.resolve(
      e.TIDE_WEB_DIST ?? path.join(import.meta.dirname, '..', '..', 'web', 'dist'),
    ),
    trustProxy: e.TIDE_TRUST_PROXY === 'true',
    jobPollSeconds: e.TIDE_JOB_POLL_SECONDS,
    importStaleSeconds: e.TIDE_IMPORT_STALE_SECONDS,
    jobSchedules: e.TIDE_JOB_SCHEDULES === 'true',
    poolSweepCron: e.TIDE_POOL_SWEEP_CRON,
    capacityAdjustCron: e.TIDE_CAPACITY_ADJUST_CRON,
    logFormat:
      e.TIDE_LOG_FORMAT === 'auto'
        ? process.stdout.isTTY && e.NODE_ENV !== 'production'
          ? 'pretty'
          : 'json'
        : e.TIDE_LOG_FORMAT,
  };
}
