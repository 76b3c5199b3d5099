import { z } from 'zod';
import {
  apiToken,
  createApiTokenBody,
  createdApiToken,
  createServiceAccountBody,
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
import {
  createServiceAccount,
  issueServiceToken,
  listServiceTokens,
  revokeServiceToken,
} from './service-accounts.service.ts';

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
  app.post('/service-accounts', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary:
        'Create a service account: no password, no interactive sign-in, API tokens holding only the permissions given',
      body: createServiceAccountBody,
      response: { 201: user },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createServiceAccount(db.db, callerOf(req), req.body)),
  });
  app.get('/users/:id/tokens', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary: "A service account's API tokens",
      params: idParams,
      response: { 200: z.object({ items: z.array(apiToken) }) },
    },
    handler: (req) => listServiceTokens(db.db, callerOf(req), req.params.id),
  });
  app.post('/users/:id/tokens', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary: 'Issue an API token to a service account (the secret is shown once)',
      params: idParams,
      body: createApiTokenBody,
      response: { 201: createdApiToken },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await issueServiceToken(db.db, callerOf(req), req.params.id, req.body)),
  });
  app.delete('/users/:id/tokens/:tokenId', {
    config: { auth: 'user.manage' },
    schema: {
      tags,
      summary: "Revoke a service account's API token",
      params: z.object({ id: idParams.shape.id, tokenId: idParams.shape.id }),
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await revokeServiceToken(db.db, callerOf(req), req.params.id, req.params.tokenId);
      return { ok: true as const };
    },
  });
}
