import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  createFollowUpBody,
  createOpportunityBody,
  followUp,
  idParams,
  moveStageBody,
  okResponse,
  opportunity,
  opportunityListQuery,
  opportunityStage,
  pageOf,
  putStagesBody,
  stageChange,
  timeline,
  updateOpportunityBody,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { buildScope } from '../../platform/access.ts';
import { notFound } from '../../platform/errors.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { registerAuditEntity } from '../audit/audit.service.ts';
import { recordTimeline } from '../leads/leads.timeline.ts';
import { registerOwnershipTransfer } from '../users/users.service.ts';
import { findVisibleOpportunity, opportunitiesVisibleTo } from './opportunities.repo.ts';
import {
  addOpportunityFollowUp,
  createOpportunity,
  deleteOpportunity,
  getOpportunity,
  getStages,
  listOpportunityPage,
  moveStage,
  putStages,
  stageHistory,
  transferOpportunitiesOnDeparture,
  updateOpportunity,
} from './opportunities.service.ts';

registerOwnershipTransfer('opportunity', transferOpportunitiesOnDeparture);
registerAuditEntity(
  'opportunity',
  (scope) =>
    sql`SELECT opportunities.id::text FROM opportunities WHERE ${opportunitiesVisibleTo(scope)}`,
);

export function opportunitiesRoutes(app: App, { db }: Deps): void {
  const d = db.db;
  const tags = ['opportunities'];
  app.get('/opportunity-stages', {
    config: { auth: 'opportunity.view' },
    schema: {
      tags,
      summary: "The tenant's opportunity stages in order",
      response: { 200: z.object({ items: z.array(opportunityStage) }) },
    },
    handler: (req) => getStages(d, callerOf(req)),
  });
  app.put('/opportunity-stages', {
    config: { auth: 'opportunity.configure' },
    schema: {
      tags,
      summary: 'Replace the stage list',
      body: putStagesBody,
      response: { 200: z.object({ items: z.array(opportunityStage) }) },
    },
    handler: (req) => putStages(d, callerOf(req), req.body),
  });
  app.get('/opportunities', {
    config: { auth: 'opportunity.view' },
    schema: {
      tags,
      summary: 'Opportunities the caller may see',
      querystring: opportunityListQuery,
      response: { 200: pageOf(opportunity) },
    },
    handler: (req) => listOpportunityPage(d, callerOf(req), req.query),
  });
  app.post('/opportunities', {
    config: { auth: 'opportunity.manage' },
    schema: {
      tags,
      summary: 'Create an opportunity for a customer you work',
      body: createOpportunityBody,
      response: { 201: opportunity },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createOpportunity(d, callerOf(req), req.body)),
  });
  app.get('/opportunities/:id', {
    config: { auth: 'opportunity.view' },
    schema: {
      tags,
      summary: 'Get an opportunity',
      params: idParams,
      response: { 200: opportunity },
    },
    handler: (req) => getOpportunity(d, callerOf(req), req.params.id),
  });
  app.patch('/opportunities/:id', {
    config: { auth: 'opportunity.manage' },
    schema: {
      tags,
      summary: 'Edit name, amount, expected close date',
      params: idParams,
      body: updateOpportunityBody,
      response: { 200: opportunity },
    },
    handler: (req) => updateOpportunity(d, callerOf(req), req.params.id, req.body),
  });
  app.delete('/opportunities/:id', {
    config: { auth: 'customer.delete' },
    schema: {
      tags,
      summary: 'Move an opportunity to the recycle bin',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deleteOpportunity(d, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
  app.post('/opportunities/:id/stage', {
    config: { auth: 'opportunity.manage' },
    schema: {
      tags,
      summary: 'Move to a stage; won and lost close it (lost with a reason)',
      params: idParams,
      body: moveStageBody,
      response: { 200: opportunity },
    },
    handler: (req) => moveStage(d, callerOf(req), req.params.id, req.body),
  });
  app.get('/opportunities/:id/stage-history', {
    config: { auth: 'opportunity.view' },
    schema: {
      tags,
      summary: 'Every stage the opportunity went through',
      params: idParams,
      response: { 200: z.object({ items: z.array(stageChange) }) },
    },
    handler: (req) => stageHistory(d, callerOf(req), req.params.id),
  });
  app.post('/opportunities/:id/follow-ups', {
    config: { auth: 'followup.create' },
    schema: {
      tags,
      summary: 'Log a follow-up on an opportunity',
      params: idParams,
      body: createFollowUpBody,
      response: { 201: followUp },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await addOpportunityFollowUp(d, callerOf(req), req.params.id, req.body)),
  });
  app.get('/opportunities/:id/timeline', {
    config: { auth: 'opportunity.view' },
    schema: {
      tags,
      summary: 'Follow-ups and audited changes of an opportunity',
      params: idParams,
      response: { 200: timeline },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      if (!(await findVisibleOpportunity(d, await buildScope(d, caller), req.params.id)))
        throw notFound('Opportunity');
      return { items: await recordTimeline(d, caller.tenantId, 'opportunity', req.params.id) };
    },
  });
}
