import { z } from 'zod';
import { timestamp } from './common.ts';

/** One background queue as the jobs page shows it. */
export const jobQueue = z
  .object({
    name: z.string(),
    /** Cron expression and its time zone, for scheduled queues. */
    cron: z.string().nullable(),
    timezone: z.string().nullable(),
    nextRunAt: timestamp.nullable(),
    lastRunAt: timestamp.nullable(),
    lastState: z.string().nullable(),
    lastError: z.string().nullable(),
    /** Jobs waiting or running now. */
    pending: z.number().int(),
    /** Jobs that failed for good in the last 7 days. */
    failures: z.number().int(),
  })
  .meta({ id: 'JobQueue' });
export type JobQueue = z.infer<typeof jobQueue>;
