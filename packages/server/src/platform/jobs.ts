import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Database } from './db.ts';

/** What a job handler gets: its data and id. A thrown error fails the try; pg-boss retries. */
export type JobHandler<T extends object> = (data: T, job: { id: string }) => Promise<void>;

export interface QueueOptions {
  /** Tries after the first, with exponential backoff. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How long one try may run before it counts as failed and is tried again. */
  expireInMinutes?: number;
}

export interface Jobs {
  /** Registers the handler of a queue; call before `start`. */
  define<T extends object>(queue: string, handler: JobHandler<T>, opts?: QueueOptions): void;
  /**
   * Queues a job. Given a client inside a transaction, the job is written by that
   * transaction, so it exists exactly when the rows it is about do.
   */
  send(queue: string, data: object, opts?: { client?: pg.ClientBase }): Promise<string>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Definition {
  handler: JobHandler<object>;
  opts: QueueOptions;
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
  opts: { pollingIntervalSeconds?: number } = {},
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
    schedule: false,
  });
  boss.on('error', (err) => {
    log.error({ err }, 'background jobs');
  });
  const definitions = new Map<string, Definition>();
  const workers = new Map<string, string>();
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
      });
      if (!id) throw new Error(`queue ${queue} refused the job`);
      // A worker of this process picks it up now rather than at its next poll.
      const worker = workers.get(queue);
      if (worker) boss.notifyWorker(worker);
      return id;
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
          const worker = await boss.work<object>(
            queue,
            { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 1 },
            async (batch) => {
              for (const job of batch) await def.handler(job.data, { id: job.id });
            },
          );
          workers.set(queue, worker);
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
