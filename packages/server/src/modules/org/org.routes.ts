import {
  createOrgNodeBody,
  idParams,
  okResponse,
  orgNode,
  orgTree,
  updateOrgNodeBody,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { createOrgNode, deleteOrgNode, getOrgTree, updateOrgNode } from './org.service.ts';

export function orgRoutes(app: App, { db }: Deps): void {
  const tags = ['org'];
  app.get('/org/nodes', {
    config: { auth: 'org.view' },
    schema: { tags, summary: 'The org tree', response: { 200: orgTree } },
    handler: (req) => getOrgTree(db.db, callerOf(req)),
  });
  app.post('/org/nodes', {
    config: { auth: 'org.manage' },
    schema: { tags, summary: 'Create a node', body: createOrgNodeBody, response: { 201: orgNode } },
    handler: async (req, reply) =>
      reply.code(201).send(await createOrgNode(db.db, callerOf(req), req.body)),
  });
  app.patch('/org/nodes/:id', {
    config: { auth: 'org.manage' },
    schema: {
      tags,
      summary: 'Rename, move (with its subtree) or set the manager',
      params: idParams,
      body: updateOrgNodeBody,
      response: { 200: orgNode },
    },
    handler: (req) => updateOrgNode(db.db, callerOf(req), req.params.id, req.body),
  });
  app.delete('/org/nodes/:id', {
    config: { auth: 'org.manage' },
    schema: {
      tags,
      summary: 'Delete an empty node',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await deleteOrgNode(db.db, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
}
