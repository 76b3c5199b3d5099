import { auditEntry, auditQuery, pageOf } from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { listAudit } from './audit.service.ts';

export function auditRoutes(app: App, { db }: Deps): void {
  app.get('/audit', {
    config: { auth: 'audit.view' },
    schema: {
      tags: ['audit'],
      summary: 'Audit entries the caller may see, newest first',
      querystring: auditQuery,
      response: { 200: pageOf(auditEntry) },
    },
    handler: (req) => listAudit(db.db, callerOf(req), req.query),
  });
}
