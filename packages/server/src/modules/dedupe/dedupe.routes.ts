import { duplicateCheckBody, duplicateCheckResult } from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { checkDuplicates } from './dedupe.service.ts';

export function dedupeRoutes(app: App, { db }: Deps): void {
  app.post('/duplicates/check', {
    config: { auth: 'authenticated' },
    schema: {
      tags: ['duplicates'],
      summary:
        'Records that may be the same customer, best first; for records you cannot see only name, owner and reasons',
      body: duplicateCheckBody,
      response: { 200: duplicateCheckResult },
    },
    handler: (req) => checkDuplicates(db.db, callerOf(req), req.body),
  });
}
