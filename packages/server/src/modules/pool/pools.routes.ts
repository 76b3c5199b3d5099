import { z } from 'zod';
import {
  capacityLimit,
  capacityLimitBody,
  collusionPair,
  collusionSettings,
  createPoolBody,
  idParams,
  okResponse,
  pool,
  poolStateQuery,
  recordPoolState,
  updateCapacityLimitBody,
  updatePoolBody,
  userCapacity,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import {
  collusionReport,
  createCapacityLimit,
  createPool,
  deleteCapacityLimit,
  deletePool,
  getCollusionSettings,
  getPool,
  listCapacityLimits,
  listPools,
  poolState,
  putCollusionSettings,
  updateCapacityLimit,
  updatePool,
  userCapacity as capacityOfUser,
} from './pools.service.ts';
import { sweepPools } from './sweep.ts';

/** The queue of the pool sweep (drops and drop warnings), run on a cron schedule. */
export const POOL_SWEEP_QUEUE = 'pool-sweep';

export function poolsRoutes(app: App, { config, db, jobs }: Deps): void {
  const d = db.db;
  jobs.define(
    POOL_SWEEP_QUEUE,
    async () => {
      await sweepPools(d);
    },
    { retryLimit: 3, expireInMinutes: 30 },
  );
  jobs.schedule(POOL_SWEEP_QUEUE, config.poolSweepCron);

  const tags = ['pools'];
  app.get('/pools', {
    config: { auth: 'pool.view' },
    schema: {
      tags,
      summary: 'Public seas with their rules',
      response: { 200: z.object({ items: z.array(pool) }) },
    },
    handler: async (req) => ({ items: await listPools(d, callerOf(req).tenantId) }),
  });
  app.post('/pools', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Add a public sea bound to an org node',
      body: createPoolBody,
      response: { 201: pool },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createPool(d, callerOf(req), req.body)),
  });
  app.get('/pools/:id', {
    config: { auth: 'pool.view' },
    schema: { tags, summary: 'One public sea', params: idParams, response: { 200: pool } },
    handler: (req) => getPool(d, callerOf(req).tenantId, req.params.id),
  });
  app.patch('/pools/:id', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Change a public sea; `rules` replaces its whole rule list',
      params: idParams,
      body: updatePoolBody,
      response: { 200: pool },
    },
    handler: (req) => updatePool(d, callerOf(req), req.params.id, req.body),
  });
  app.delete('/pools/:id', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Remove a public sea that never held records',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deletePool(d, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });

  app.get('/capacity-limits', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Capacity and daily claim limits',
      response: { 200: z.object({ items: z.array(capacityLimit) }) },
    },
    handler: async (req) => ({ items: await listCapacityLimits(d, callerOf(req).tenantId) }),
  });
  app.post('/capacity-limits', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Set a limit for the tenant, a role, a node or a person',
      body: capacityLimitBody,
      response: { 201: capacityLimit },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createCapacityLimit(d, callerOf(req), req.body)),
  });
  app.patch('/capacity-limits/:id', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary:
        'Change a limit; lowering it drops nothing but blocks claims until the rep is under it',
      params: idParams,
      body: updateCapacityLimitBody,
      response: { 200: capacityLimit },
    },
    handler: (req) => updateCapacityLimit(d, callerOf(req), req.params.id, req.body),
  });
  app.delete('/capacity-limits/:id', {
    config: { auth: 'pool.rules.edit' },
    schema: { tags, summary: 'Remove a limit', params: idParams, response: { 200: okResponse } },
    handler: async (req) => {
      await deleteCapacityLimit(d, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
  app.get('/capacity/me', {
    config: { auth: 'pool.view' },
    schema: { tags, summary: 'My capacity and claims today', response: { 200: userCapacity } },
    handler: (req) => capacityOfUser(d, callerOf(req), callerOf(req).userId),
  });
  app.get('/users/:id/capacity', {
    config: { auth: 'pool.view' },
    schema: {
      tags,
      summary: "A rep's capacity (managers: their subtree)",
      params: idParams,
      response: { 200: userCapacity },
    },
    handler: (req) => capacityOfUser(d, callerOf(req), req.params.id),
  });
  app.get('/pool-state', {
    config: { auth: 'pool.view' },
    schema: {
      tags,
      summary: 'Time to drop (private records) and protection (public ones) of up to 200 records',
      querystring: poolStateQuery,
      response: { 200: z.object({ items: z.array(recordPoolState) }) },
    },
    handler: async (req) => ({
      items: await poolState(d, callerOf(req), req.query.entity, req.query.ids),
    }),
  });

  app.get('/collusion/settings', {
    config: { auth: 'pool.view' },
    schema: {
      tags,
      summary: 'When handovers between two reps count as collusion',
      response: { 200: collusionSettings },
    },
    handler: (req) => getCollusionSettings(d, callerOf(req).tenantId),
  });
  app.put('/collusion/settings', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Change the collusion rule',
      body: collusionSettings,
      response: { 200: collusionSettings },
    },
    handler: (req) => putCollusionSettings(d, callerOf(req), req.body),
  });
  app.get('/collusion/report', {
    config: { auth: 'report.view' },
    schema: {
      tags,
      summary: 'Pairs of reps where one repeatedly claimed what the other just released',
      response: { 200: z.object({ items: z.array(collusionPair) }) },
    },
    handler: async (req) => ({ items: await collusionReport(d, callerOf(req)) }),
  });
}
