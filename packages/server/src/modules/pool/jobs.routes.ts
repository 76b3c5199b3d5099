import { z } from 'zod';
import { jobQueue, okResponse } from '@tide/contract';
import type { Deps } from '../../app.ts';
import { notFound } from '../../platform/errors.ts';
import { callerOf, type App } from '../../platform/http.ts';

/**
 * The jobs page for a tenant's admins: every queue, its schedule, and the last run and
 * failures of the jobs sent for their tenant; a run on request works on their tenant only.
 */
export function jobsRoutes(app: App, { jobs }: Deps): void {
  const tags = ['jobs'];
  app.get('/jobs', {
    config: { auth: 'tenant.settings' },
    schema: {
      tags,
      summary: 'Background queues',
      response: { 200: z.object({ items: z.array(jobQueue) }) },
    },
    handler: async (req) => ({ items: await jobs.queues(callerOf(req).tenantId) }),
  });
  app.post('/jobs/:name/run', {
    config: { auth: 'tenant.settings' },
    schema: {
      tags,
      summary: 'Queue a scheduled job now',
      params: z.object({ name: z.string().max(60) }),
      response: { 200: okResponse },
    },
    handler: async (req) => {
      const { tenantId } = callerOf(req);
      const scheduled = (await jobs.queues(tenantId)).find(
        (q) => q.name === req.params.name && q.cron,
      );
      if (!scheduled) throw notFound('Scheduled job');
      await jobs.send(req.params.name, { tenantId });
      return { ok: true as const };
    },
  });
}
