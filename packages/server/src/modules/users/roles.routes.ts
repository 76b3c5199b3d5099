import { z } from 'zod';
import { createRoleBody, okResponse, role, roleName, updateRoleBody } from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { createRole, deleteRole, listRoles, updateRole } from './roles.service.ts';

const nameParams = z.object({ name: roleName });

export function rolesRoutes(app: App, { db }: Deps): void {
  const tags = ['roles'];
  app.get('/roles', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'Built-in and custom roles with their permissions',
      response: { 200: z.object({ items: z.array(role) }) },
    },
    handler: (req) => listRoles(db.db, callerOf(req)),
  });
  app.post('/roles', {
    config: { auth: 'role.manage' },
    schema: {
      tags,
      summary: 'Compose a custom role from permissions',
      body: createRoleBody,
      response: { 201: role },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createRole(db.db, callerOf(req), req.body)),
  });
  app.patch('/roles/:name', {
    config: { auth: 'role.manage' },
    schema: {
      tags,
      summary: 'Edit a custom role',
      params: nameParams,
      body: updateRoleBody,
      response: { 200: role },
    },
    handler: (req) => updateRole(db.db, callerOf(req), req.params.name, req.body),
  });
  app.delete('/roles/:name', {
    config: { auth: 'role.manage' },
    schema: {
      tags,
      summary: 'Delete a custom role nobody holds',
      params: nameParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deleteRole(db.db, callerOf(req), req.params.name);
      return { ok: true as const };
    },
  });
}
