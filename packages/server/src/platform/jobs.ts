import { Cron } from 'croner';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { JobQueue } from '@tide/contract';
import type { Database } from './db.ts';

/** Cron schedules run in this time zone unless they name another. */
export const JOB_TIME_ZONE = 'Asia/Shanghai';

/** What a job handler gets: its data and id. A thrown error fails the try; pg-boss retries. */
export type JobHandler<T extends object> = (data: T, job: { id: string }) => Promise<void>;

/**
 * Every job sent names its tenant, so the jobs page shows a tenant's admins only their own
 * runs and errors. A cron run carries none: it covers every tenant, and so it is
 * the installation's, shown to no tenant.
 */
export interface TenantJob {
  tenantId: string;
}

export interface QueueOptions {
  /** Tries after the first, with exponential backoff. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How long one try may run before it counts as failed and is tried again. */
  expireInMinutes?: number;
  /** Jobs of the queue this process runs at once (1 unless given). */
  concurrency?: number;
}

export interface Jobs {
  /** Registers the handler of a queue; call before `start`. */
  define<T extends object>(queue: string, handler: JobHandler<T>, opts?: QueueOptions): void;
  /**
   * Queues a job. Given a client inside a transaction, the job is written by that
   * transaction, so it exists exactly when the rows it is about do.
   */
  send(
    queue: string,
    data: TenantJob & Record<string, unknown>,
    opts?: { client?: pg.ClientBase; startAfterSeconds?: number },
  ): Promise<string>;
  /**
   * Runs a defined queue on a cron schedule (Asia/Shanghai unless `tz`): the schedule is
   * stored in PostgreSQL and each slot is sent once whatever the number of instances.
   */
  schedule(queue: string, cron: string, opts?: { tz?: string }): void;
  /**
   * The queues for one tenant's jobs page: schedule, next run, and the last run, pending
   * and failed jobs of those sent for the tenant.
   */
  queues(tenantId: string): Promise<JobQueue[]>;
  /** Whether the queue is defined here. */
  has(queue: string): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Definition {
  handler: JobHandler<object>;
  opts: QueueOptions;
  cron?: { expression: string; tz: string };
}

/**
 * Durable background jobs stored in PostgreSQL with pg-boss (STACK.md): on a
 * server every instance works the same queues and each job runs once; on the
 * embedded database pg-boss shares the one session through the pool. The
 * jobs live in their own schema beside Tide's tables.
 */
export function createJobs(
  database: Database,
  log: { error(obj: unknown, msg?: string): void },
  opts: { pollingIntervalSeconds?: number; schedules?: boolean } = {},
): Jobs {
  const schema = database.schema === 'public' ? 'pgboss' : `${database.schema}_jobs`;
  const adapter = (q: pg.Pool | pg.ClientBase) => ({
    executeSql: async (text: string, values: unknown[]) => q.query(text, values),
  });
  const boss = new PgBoss({
    db: adapter(database.pool),
    schema,
    migrate: true,
    supervise: true,
    // The clock that sends cron jobs; off where schedules are not wanted (tests).
    schedule: opts.schedules ?? false,
  });
  boss.on('error', (err) => {
    log.error({ err }, 'background jobs');
  });
  const definitions = new Map<string, Definition>();
  const workers = new Map<string, string[]>();
  let started: Promise<void> | undefined;
  let stopped = false;

  return {
    define(queue, handler, queueOpts = {}) {
      if (started) throw new Error(`queue ${queue} defined after the jobs started`);
      definitions.set(queue, { handler: handler as JobHandler<object>, opts: queueOpts });
    },
    async send(queue, data, sendOpts = {}) {
      await started;
      const id = await boss.send(queue, data, {
        ...(sendOpts.client ? { db: adapter(sendOpts.client) } : {}),
        ...(sendOpts.startAfterSeconds ? { startAfter: sendOpts.startAfterSeconds } : {}),
      });
      if (!id) throw new Error(`queue ${queue} refused the job`);
      // A worker of this process picks it up now rather than at its next poll.
      if (!sendOpts.startAfterSeconds)
        for (const worker of workers.get(queue) ?? []) boss.notifyWorker(worker);
      return id;
    },
    schedule(queue, cron, scheduleOpts = {}) {
      const def = definitions.get(queue);
      if (!def) throw new Error(`schedule of undefined queue ${queue}`);
      if (started) throw new Error(`queue ${queue} scheduled after the jobs started`);
      new Cron(cron, { timezone: scheduleOpts.tz ?? JOB_TIME_ZONE, paused: true }); // validates
      def.cron = { expression: cron, tz: scheduleOpts.tz ?? JOB_TIME_ZONE };
    },
    has(queue) {
      return definitions.has(queue);
    },
    async queues(tenantId) {
      await started;
      const q = (name: string) => `"${schema}".${name}`;
      const names = [...definitions.keys()];
      const { rows } = await database.pool.query<{
        name: string;
        pending: number;
        failures: number;
        last_at: Date | null;
        last_state: string | null;
        last_output: unknown;
      }>(
        `WITH all_jobs AS (
           SELECT name, state, completed_on, started_on, created_on, output FROM ${q('job')}
            WHERE name = ANY($1::text[]) AND data ->> 'tenantId' = $2
           UNION ALL
           SELECT name, state, completed_on, started_on, created_on, output FROM ${q('archive')}
            WHERE name = ANY($1::text[]) AND data ->> 'tenantId' = $2
         )
         SELECT n AS name,
                (SELECT count(*)::int FROM ${q('job')} j
                  WHERE j.name = n AND j.data ->> 'tenantId' = $2
                    AND j.state IN ('created', 'retry', 'active')) AS pending,
                (SELECT count(*)::int FROM all_jobs a
                  WHERE a.name = n AND a.state = 'failed'
                    AND a.created_on > now() - interval '7 days') AS failures,
                l.at AS last_at, l.state AS last_state, l.output AS last_output
           FROM unnest($1::text[]) AS n
           LEFT JOIN LATERAL (
             SELECT coalesce(completed_on, started_on) AS at, state, output FROM all_jobs a
              WHERE a.name = n AND a.state IN ('completed', 'failed', 'active')
              ORDER BY coalesce(completed_on, started_on) DESC NULLS LAST LIMIT 1
           ) l ON true`,
        [names, tenantId],
      );
      return rows.map((r) => {
        const cron = definitions.get(r.name)?.cron;
        const next = cron
          ? new Cron(cron.expression, { timezone: cron.tz, paused: true }).nextRun()
          : null;
        const output = r.last_output as { message?: unknown } | null;
        return {
          name: r.name,
          cron: cron?.expression ?? null,
          timezone: cron?.tz ?? null,
          nextRunAt: next ? next.toISOString() : null,
          lastRunAt: r.last_at ? new Date(r.last_at).toISOString() : null,
          lastState: r.last_state,
          lastError:
            r.last_state === 'failed' && output && typeof output.message === 'string'
              ? output.message
              : null,
          pending: r.pending,
          failures: r.failures,
        };
      });
    },
    start() {
      started ??= (async () => {
        await boss.start();
        for (const [queue, def] of definitions) {
          await boss.createQueue(queue, {
            name: queue,
            retryLimit: def.opts.retryLimit ?? 3,
            retryDelay: def.opts.retryDelaySeconds ?? 10,
            retryBackoff: true,
            expireInSeconds: (def.opts.expireInMinutes ?? 30) * 60,
          });
          // pg-boss 10 runs one job at a time per worker: concurrency is more workers.
          const ids: string[] = [];
          for (let i = 0; i < (def.opts.concurrency ?? 1); i++)
            ids.push(
              await boss.work<object>(
                queue,
                { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 },
                async (batch) => {
                  for (const job of batch) await def.handler(job.data, { id: job.id });
                },
              ),
            );
          workers.set(queue, ids);
          if (def.cron) await boss.schedule(queue, def.cron.expression, {}, { tz: def.cron.tz });
        }
      })();
      return started;
    },
    async stop() {
      if (!started || stopped) return;
      stopped = true;
      await started.catch(() => undefined);
      // Running jobs get a moment to finish; one cut short is tried again later.
      await boss.stop({ graceful: true, wait: true, timeout: 5000, close: false });
    },
  };
}
