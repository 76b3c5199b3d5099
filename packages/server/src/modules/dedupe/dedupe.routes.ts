import { z } from 'zod';
import {
  duplicateCheckBody,
  duplicateCheckResult,
  duplicateObjectTypes,
  duplicateRule,
  duplicateRules,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { checkDuplicates, getRules, setRule } from './rules.ts';

export function dedupeRoutes(app: App, { db }: Deps): void {
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
}
