import { z } from 'zod';
import {
  createUserBody,
  deactivateUserBody,
  idParams,
  okResponse,
  pageOf,
  resetPasswordBody,
  updateUserBody,
  user,
  userListQuery,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { callerOf, type App } from '../../platform/http.ts';
import {
  activateUser,
  createUser,
  deactivateUser,
  getUser,
  listUserPage,
  resetPassword,
  updateUser,
} from './users.service.ts';

export function usersRoutes(app: App, { db }: Deps): void {
  const tags = ['users'];
  app.get('/users', {
    config: { auth: 'user.view' },
    schema: {
      tags,
      summary: 'List users',
      querystring: userListQuery,
      response: { 200: pageOf(user) },
    },
    handler: (req) => listUserPage(db.db, callerOf(req), req.query),
  });
  app.post('/users', {
    config: { auth: 'user.manage' },
    schema: { tags, summary: 'Create a user', body: createUserBody, response: { 201: user } },
    handler: async (req, reply) =>
      reply.code(201).send(await createUser(db.db, callerOf(req), req.body)),
  });
  app.get('/users/:id', {
    config: { auth: 'user.view' },
    schema: { tags, summary: 'Get a user', params: idParams, response: { 200: user } },
    handler: (req) => getUser(db.db, callerOf(req), req.params.id),
  });
  app.patch('/users/:id', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary: 'Edit a user: name, node, roles, contact data',
      params: idParams,
      body: updateUserBody,
      response: { 200: user },
    },
    handler: (req) => updateUser(db.db, callerOf(req), req.params.id, req.body),
  });
  app.post('/users/:id/reset-password', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary: "Set a user's password; their sessions end",
      params: idParams,
      body: resetPasswordBody,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await resetPassword(db.db, callerOf(req), req.params.id, req.body.password);
      return { ok: true as const };
    },
  });
  app.post('/users/:id/deactivate', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary:
        'Deactivate a user: no login, tokens dead, records transferred to a colleague or the pool',
      params: idParams,
      body: deactivateUserBody,
      response: { 200: user },
    },
    handler: (req) => deactivateUser(db.db, callerOf(req), req.params.id, req.body),
  });
  app.post('/users/:id/activate', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary: 'Reactivate a user',
      params: idParams,
      body: z.object({}).optional(),
      response: { 200: user },
    },
    handler: (req) => activateUser(db.db, callerOf(req), req.params.id),
  });
}
