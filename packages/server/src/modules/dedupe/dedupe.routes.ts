import { z } from 'zod';
import {
  createDuplicateReportBody,
  duplicateCluster,
  duplicateClusterQuery,
  duplicateReport,
  idParams,
  pageOf,
  pageQuery,
  duplicateCheckBody,
  duplicateCheckResult,
  duplicateObjectTypes,
  duplicateRule,
  duplicateRules,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import {
  DUPLICATE_REPORT_QUEUE,
  getReport,
  listClusters,
  listReports,
  requestReport,
  runDuplicateReport,
} from './report.ts';
import { checkDuplicates, getRules, setRule } from './rules.ts';

export function dedupeRoutes(app: App, { db, jobs }: Deps): void {
  jobs.define<{ reportId: string }>(
    DUPLICATE_REPORT_QUEUE,
    (data) => runDuplicateReport(db, data.reportId),
    { retryLimit: 2, expireInMinutes: 30 },
  );
  const tags = ['duplicates'];
  app.post('/duplicates/check', {
    config: { auth: 'authenticated' },
    schema: {
      tags: ['duplicates'],
      summary:
        'Records that may be the same, best first, under the tenant’s rule for the type; for records you cannot see only name, owner and reasons',
      body: duplicateCheckBody,
      response: { 200: duplicateCheckResult },
    },
    handler: (req) => checkDuplicates(db.db, callerOf(req), req.body),
  });
  app.get('/duplicates/rules', {
    config: { auth: 'authenticated' },
    schema: {
      tags: ['duplicates'],
      summary: 'The duplicate rules of leads, customers and contacts',
      response: { 200: duplicateRules },
    },
    handler: (req) => getRules(db.db, callerOf(req).tenantId),
  });
  app.put('/duplicates/rules/:type', {
    config: { auth: 'tenant.settings' },
    schema: {
      tags: ['duplicates'],
      summary:
        'Set the duplicate rule of one record type: keys, threshold, and allow / warn / block on create and update',
      params: z.object({ type: z.enum(duplicateObjectTypes) }),
      body: duplicateRule,
      response: { 200: duplicateRules },
    },
    handler: (req) => setRule(db.db, callerOf(req), req.params.type, req.body),
  });
  app.post('/duplicates/reports', {
    config: { auth: 'report.duplicates' },
    schema: {
      tags,
      summary:
        'Start a duplicate report: a background job scans every record of the type and lists the clusters',
      body: createDuplicateReportBody,
      response: { 202: duplicateReport },
    },
    handler: async (req, reply) =>
      reply.code(202).send(await requestReport(db, jobs, callerOf(req), req.body)),
  });
  app.get('/duplicates/reports', {
    config: { auth: 'report.duplicates' },
    schema: {
      tags,
      summary: 'Duplicate reports, newest first, with their progress',
      querystring: pageQuery,
      response: { 200: pageOf(duplicateReport) },
    },
    handler: (req) => listReports(db, callerOf(req), req.query),
  });
  app.get('/duplicates/reports/:id', {
    config: { auth: 'report.duplicates' },
    schema: {
      tags,
      summary: 'One duplicate report and its progress',
      params: idParams,
      response: { 200: duplicateReport },
    },
    handler: (req) => getReport(db, callerOf(req), req.params.id),
  });
  app.get('/duplicates/reports/:id/clusters', {
    config: { auth: 'report.duplicates' },
    schema: {
      tags,
      summary:
        'The clusters a report found, strongest first; records you cannot see show only name and owner',
      params: idParams,
      querystring: duplicateClusterQuery,
      response: { 200: pageOf(duplicateCluster) },
    },
    handler: (req) => listClusters(db, callerOf(req), req.params.id, req.query),
  });
}
