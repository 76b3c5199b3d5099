import { z } from 'zod';
import {
  assignBody,
  convertLeadBody,
  convertLeadResult,
  batchAssignBody,
  batchIdsBody,
  batchResult,
  createFollowUpBody,
  createLeadBody,
  followUp,
  idParams,
  lead,
  leadListQuery,
  okResponse,
  pageOf,
  reasonBody,
  timeline,
  mergeLeadBody,
  updateLeadBody,
  withDuplicates,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { buildScope } from '../../platform/access.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { registerAuditEntity } from '../audit/audit.service.ts';
import { registerOwnershipTransfer } from '../users/users.service.ts';
import { leadsVisibleTo, findVisibleLead } from './leads.repo.ts';
import { sql } from 'drizzle-orm';
import {
  addLeadFollowUp,
  assignLead,
  batchAssignLeads,
  batchClaimLeads,
  claimLead,
  createLead,
  getLead,
  invalidateLead,
  listLeadPage,
  restoreVoidedLead,
  returnLead,
  updateLead,
  voidLead,
} from './leads.service.ts';
import { recordTimeline } from './leads.timeline.ts';
import { mergedLeadIds, mergedLeadPointer, mergeLeads } from './leads.merge.ts';
import {
  deleteLead,
  purgeLead,
  restoreDeletedLead,
  transferLeadsOnDeparture,
} from './leads.bin.ts';
import { convertLead } from './leads.convert.ts';

registerOwnershipTransfer('lead', transferLeadsOnDeparture);
// An audit entry about a lead is visible exactly when the lead is (deleted ones included).
registerAuditEntity(
  'lead',
  (scope) => sql`SELECT leads.id::text FROM leads WHERE ${leadsVisibleTo(scope)}`,
);

export function leadsRoutes(app: App, { db }: Deps): void {
  const tags = ['leads'];
  const d = db.db;
  app.get('/leads', {
    config: { auth: 'lead.view' },
    schema: {
      tags,
      summary: 'Leads the caller may see (own, subtree, the pools serving them)',
      querystring: leadListQuery,
      response: { 200: pageOf(lead) },
    },
    handler: (req) => listLeadPage(d, callerOf(req), req.query),
  });
  app.post('/leads', {
    config: { auth: 'lead.create' },
    schema: {
      tags,
      summary: 'Create a lead: yours without ownerId, into the pool with ownerId null',
      body: createLeadBody,
      response: { 201: withDuplicates(lead) },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createLead(d, callerOf(req), req.body)),
  });
  app.post('/leads/claim', {
    config: { auth: 'lead.claim' },
    schema: {
      tags,
      summary: 'Claim several leads from the pool; each id on its own',
      body: batchIdsBody,
      response: { 200: batchResult },
    },
    handler: (req) => batchClaimLeads(d, callerOf(req), req.body.ids),
  });
  app.post('/leads/assign', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Assign several leads to a rep; each id on its own',
      body: batchAssignBody,
      response: { 200: batchResult },
    },
    handler: (req) => batchAssignLeads(d, callerOf(req), req.body.ids, req.body.ownerId),
  });
  app.get('/leads/:id', {
    config: { auth: 'lead.view' },
    schema: { tags, summary: 'Get a lead', params: idParams, response: { 200: lead } },
    handler: async (req) => {
      const caller = callerOf(req);
      try {
        return await getLead(d, caller, req.params.id);
      } catch (err) {
        // A merged-away id answers with a pointer to its survivor.
        const survivor =
          err instanceof AppError && err.code === 'NOT_FOUND'
            ? await mergedLeadPointer(d, caller, req.params.id)
            : null;
        if (survivor)
          throw new AppError('NOT_FOUND', 'This lead was merged into another one', {
            mergedInto: survivor,
          });
        throw err;
      }
    },
  });
  app.post('/leads/:id/merge', {
    config: { auth: 'lead.merge' },
    schema: {
      tags,
      summary:
        'Merge another lead into this one, keeping every follow-up, handover and history entry of both',
      params: idParams,
      body: mergeLeadBody,
      response: { 200: lead },
    },
    handler: (req) => mergeLeads(d, callerOf(req), req.params.id, req.body),
  });
  app.patch('/leads/:id', {
    config: { auth: 'lead.update' },
    schema: {
      tags,
      summary: 'Edit a lead',
      params: idParams,
      body: updateLeadBody,
      response: { 200: withDuplicates(lead) },
    },
    handler: (req) => updateLead(d, callerOf(req), req.params.id, req.body),
  });
  app.delete('/leads/:id', {
    config: { auth: 'lead.delete' },
    schema: {
      tags,
      summary: 'Move a lead to the recycle bin',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deleteLead(d, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
  app.get('/leads/:id/timeline', {
    config: { auth: 'lead.view' },
    schema: {
      tags,
      summary: 'Follow-ups and every audited change of a lead, newest first',
      params: idParams,
      response: { 200: timeline },
    },
    handler: async (req) => {
      const caller = callerOf(req);
      if (!(await findVisibleLead(d, await buildScope(d, caller), req.params.id)))
        throw notFound('Lead');
      // The survivor of a merge shows the history of the leads merged into it.
      const ids = [req.params.id, ...(await mergedLeadIds(d, req.params.id))];
      return { items: await recordTimeline(d, caller.tenantId, 'lead', ids) };
    },
  });
  app.post('/leads/:id/claim', {
    config: { auth: 'lead.claim' },
    schema: {
      tags,
      summary: 'Claim a lead from the pool',
      params: idParams,
      body: z.object({}).optional(),
      response: { 200: lead },
    },
    handler: (req) => claimLead(d, callerOf(req), req.params.id),
  });
  app.post('/leads/:id/assign', {
    config: { auth: 'lead.assign' },
    schema: {
      tags,
      summary: 'Assign or reassign a lead',
      params: idParams,
      body: assignBody,
      response: { 200: lead },
    },
    handler: (req) => assignLead(d, callerOf(req), req.params.id, req.body.ownerId),
  });
  app.post('/leads/:id/return', {
    config: { auth: 'lead.update' },
    schema: {
      tags,
      summary: 'Return a lead to the pool with a reason',
      params: idParams,
      body: reasonBody,
      response: { 200: lead },
    },
    handler: (req) => returnLead(d, callerOf(req), req.params.id, req.body.reason),
  });
  app.post('/leads/:id/follow-ups', {
    config: { auth: 'followup.create' },
    schema: {
      tags,
      summary: 'Log a follow-up; a pending or invalid lead becomes following',
      params: idParams,
      body: createFollowUpBody,
      response: { 201: followUp },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await addLeadFollowUp(d, callerOf(req), req.params.id, req.body)),
  });
  app.post('/leads/:id/convert', {
    config: { auth: 'lead.update' },
    schema: {
      tags,
      summary:
        'Convert a lead into a customer (linked to an existing one when the duplicate check finds it), optionally a contact and an opportunity',
      params: idParams,
      body: convertLeadBody,
      response: { 200: convertLeadResult },
    },
    handler: (req) => convertLead(d, callerOf(req), req.params.id, req.body),
  });
  app.post('/leads/:id/invalidate', {
    config: { auth: 'lead.update' },
    schema: {
      tags,
      summary: 'Mark a lead invalid with a reason',
      params: idParams,
      body: reasonBody,
      response: { 200: lead },
    },
    handler: (req) => invalidateLead(d, callerOf(req), req.params.id, req.body.reason),
  });
  app.post('/leads/:id/void', {
    config: { auth: 'lead.update' },
    schema: {
      tags,
      summary: 'Void a lead as junk, with a reason',
      params: idParams,
      body: reasonBody,
      response: { 200: lead },
    },
    handler: (req) => voidLead(d, callerOf(req), req.params.id, req.body.reason),
  });
  app.post('/leads/:id/restore', {
    config: { auth: 'lead.restore' },
    schema: {
      tags,
      summary: 'Restore a voided lead to its status before voiding (admins)',
      params: idParams,
      body: z.object({}).optional(),
      response: { 200: lead },
    },
    handler: (req) => restoreVoidedLead(d, callerOf(req), req.params.id),
  });
  app.get('/recycle-bin/leads', {
    config: { auth: 'recycle.manage' },
    schema: {
      tags: ['recycle-bin'],
      summary: 'Deleted leads',
      querystring: leadListQuery,
      response: { 200: pageOf(lead) },
    },
    handler: (req) => listLeadPage(d, callerOf(req), req.query, { deleted: true }),
  });
  app.post('/recycle-bin/leads/:id/restore', {
    config: { auth: 'recycle.manage' },
    schema: {
      tags: ['recycle-bin'],
      summary: 'Take a lead out of the recycle bin',
      params: idParams,
      body: z.object({}).optional(),
      response: { 200: lead },
    },
    handler: (req) => restoreDeletedLead(d, callerOf(req), req.params.id),
  });
  app.delete('/recycle-bin/leads/:id', {
    config: { auth: 'recycle.manage' },
    schema: {
      tags: ['recycle-bin'],
      summary: 'Purge a deleted lead for good (audited)',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await purgeLead(d, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
}
