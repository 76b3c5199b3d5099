import { z } from 'zod';
import {
  capacityAdjustment,
  capacityAdjustmentQuery,
  capacityAdjustmentRun,
  capacityAdjustmentSettings,
  capacityLimit,
  capacityLimitBody,
  collusionPair,
  collusionSettings,
  assignmentRule,
  assignmentRuleBody,
  createPoolBody,
  distributeBody,
  distributeResult,
  idParams,
  intakeAccepted,
  intakeForm,
  intakeFormBody,
  intakeLeadBody,
  lead,
  pageOf,
  pageQuery,
  verifyBody,
  okResponse,
  pool,
  poolStateQuery,
  recordPoolState,
  runCapacityAdjustmentBody,
  updateCapacityLimitBody,
  updatePoolBody,
  userCapacity,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import type { TenantJob } from '../../platform/jobs.ts';
import { requirePermission } from '../../platform/access.ts';
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
import {
  adjustAllTenants,
  adjustCapacities,
  getAdjustmentSettings,
  listAdjustments,
  previousMonth,
  putAdjustmentSettings,
} from './capacity-adjust.ts';
import { distribute } from './assign.ts';
import {
  deleteAssignmentRule,
  intakeLead,
  listAssignmentRules,
  listIntakeForms,
  saveAssignmentRule,
  saveIntakeForm,
  verificationQueue,
  verifyLead,
} from './intake.ts';

/** The queue of the pool sweep (drops and drop warnings), run on a cron schedule. */
export const POOL_SWEEP_QUEUE = 'pool-sweep';
/** The queue of the monthly capacity adjustment (自动调整库容). */
export const CAPACITY_ADJUST_QUEUE = 'capacity-adjust';

export function poolsRoutes(app: App, { config, db, jobs }: Deps): void {
  const d = db.db;
  // A run on request names its tenant and sweeps that tenant only; the cron run, none.
  jobs.define<Partial<TenantJob>>(
    POOL_SWEEP_QUEUE,
    async (data) => {
      await sweepPools(d, data.tenantId);
    },
    { retryLimit: 3, expireInMinutes: 30 },
  );
  jobs.schedule(POOL_SWEEP_QUEUE, config.poolSweepCron);
  jobs.define<Partial<TenantJob>>(
    CAPACITY_ADJUST_QUEUE,
    async (data) => {
      if (data.tenantId) await adjustCapacities(d, data.tenantId, previousMonth());
      else await adjustAllTenants(d);
    },
    { retryLimit: 3, expireInMinutes: 30 },
  );
  jobs.schedule(CAPACITY_ADJUST_QUEUE, config.capacityAdjustCron);

  const tags = ['pools'];
  app.get('/capacity-adjustment/settings', {
    config: { auth: 'pool.view' },
    schema: {
      tags,
      summary: 'The monthly capacity adjustment of leads and of customers',
      response: { 200: z.object({ items: z.array(capacityAdjustmentSettings) }) },
    },
    handler: async (req) => ({ items: await getAdjustmentSettings(d, callerOf(req).tenantId) }),
  });
  app.put('/capacity-adjustment/settings', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Set the monthly capacity adjustment of one record type',
      body: capacityAdjustmentSettings,
      response: { 200: capacityAdjustmentSettings },
    },
    handler: (req) => putAdjustmentSettings(d, callerOf(req), req.body),
  });
  app.get('/capacity-adjustments', {
    config: { auth: 'pool.view' },
    schema: {
      tags,
      summary: 'Capacity adjustments by month: rate measured, capacity before and after',
      querystring: capacityAdjustmentQuery,
      response: { 200: pageOf(capacityAdjustment) },
    },
    handler: (req) => listAdjustments(d, callerOf(req), req.query),
  });
  app.post('/capacity-adjustment/run', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Adjust capacities for a month now (the month before by default); once per month',
      body: runCapacityAdjustmentBody,
      response: { 200: capacityAdjustmentRun },
    },
    handler: async (req) => {
      const month = req.body.month ?? previousMonth();
      return { month, adjusted: await adjustCapacities(d, callerOf(req).tenantId, month) };
    },
  });
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

  app.post('/pools/distribute', {
    config: { auth: 'pool.view' },
    schema: {
      tags,
      summary: 'Share pool records among reps by a strategy, within territory and capacity',
      body: distributeBody,
      response: { 200: distributeResult },
    },
    handler: (req) => {
      const caller = callerOf(req);
      requirePermission(caller, req.body.entity === 'lead' ? 'lead.assign' : 'customer.transfer');
      return distribute(d, caller, req.body);
    },
  });

  app.get('/assignment-rules', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Rules sharing out new pool leads',
      response: { 200: z.object({ items: z.array(assignmentRule) }) },
    },
    handler: async (req) => ({ items: await listAssignmentRules(d, callerOf(req).tenantId) }),
  });
  app.post('/assignment-rules', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Add an assignment rule',
      body: assignmentRuleBody,
      response: { 201: assignmentRule },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await saveAssignmentRule(d, callerOf(req), null, req.body)),
  });
  app.put('/assignment-rules/:id', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Change an assignment rule',
      params: idParams,
      body: assignmentRuleBody,
      response: { 200: assignmentRule },
    },
    handler: (req) => saveAssignmentRule(d, callerOf(req), req.params.id, req.body),
  });
  app.delete('/assignment-rules/:id', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Remove an assignment rule',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deleteAssignmentRule(d, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });

  app.get('/verification-queue', {
    config: { auth: 'verification.work' },
    schema: {
      tags,
      summary: 'Leads waiting for a verification call, oldest first',
      querystring: pageQuery,
      response: { 200: pageOf(lead) },
    },
    handler: (req) => verificationQueue(d, callerOf(req), req.query),
  });
  app.post('/leads/:id/verification', {
    config: { auth: 'verification.work' },
    schema: {
      tags,
      summary: "Record a verification call's result",
      params: idParams,
      body: verifyBody,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await verifyLead(d, callerOf(req), req.params.id, req.body);
      return { ok: true as const };
    },
  });

  app.get('/intake-forms', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Website forms feeding pools',
      response: { 200: z.object({ items: z.array(intakeForm) }) },
    },
    handler: async (req) => ({ items: await listIntakeForms(d, callerOf(req).tenantId) }),
  });
  app.post('/intake-forms', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Add a website form (its key is generated)',
      body: intakeFormBody,
      response: { 201: intakeForm },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await saveIntakeForm(d, callerOf(req), null, req.body)),
  });
  app.put('/intake-forms/:id', {
    config: { auth: 'pool.rules.edit' },
    schema: {
      tags,
      summary: 'Change a website form',
      params: idParams,
      body: intakeFormBody,
      response: { 200: intakeForm },
    },
    handler: (req) => saveIntakeForm(d, callerOf(req), req.params.id, req.body),
  });
  app.post('/intake/leads', {
    config: { auth: 'public' },
    schema: {
      tags,
      summary: 'Public: a website form submits a lead',
      description:
        'Identified by the form key; limited per form and address per minute (429); cleaned and matched like any intake. `website` is a honeypot and must stay empty.',
      body: intakeLeadBody,
      response: { 202: intakeAccepted },
    },
    // Website forms post from their own origin.
    onSend: (_req, reply, payload, done) => {
      void reply.header('access-control-allow-origin', '*');
      done(null, payload);
    },
    handler: async (req, reply) => {
      await intakeLead(db, req.body, req.ip);
      return reply.code(202).send({ accepted: true as const });
    },
  });
  app.options('/intake/leads', {
    config: { auth: 'public' },
    schema: { hide: true },
    handler: (_req, reply) =>
      reply
        .code(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400')
        .send(),
  });
}
