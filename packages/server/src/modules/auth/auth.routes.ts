import { z } from 'zod';
import {
  apiToken,
  changeOwnPasswordBody,
  createApiTokenBody,
  createdApiToken,
  idParams,
  loginBody,
  loginResponse,
  me,
  okResponse,
} from '@tide/contract';
import type { Deps } from '../../app.ts';
import { CSRF_COOKIE, requestToken, SESSION_COOKIE, SESSION_DAYS } from '../../platform/auth.ts';
import { callerOf, type App } from '../../platform/http.ts';
import {
  changeOwnPassword,
  createApiToken,
  getMe,
  listApiTokens,
  login,
  logout,
  revokeApiToken,
} from './auth.service.ts';

export function authRoutes(app: App, { db }: Deps): void {
  const tags = ['auth'];
  const cookieBase = {
    path: '/',
    sameSite: 'lax' as const,
    secure: 'auto' as const,
    maxAge: SESSION_DAYS * 86_400,
  };

  app.post('/auth/login', {
    config: { auth: 'public' },
    schema: {
      tags,
      summary: 'Sign in; answers a bearer token and sets the session cookie',
      body: loginBody,
      response: { 200: loginResponse },
    },
    handler: async (req, reply) => {
      const result = await login(db.db, req.body, req.ip, req.id);
      void reply.setCookie(SESSION_COOKIE, result.token, { ...cookieBase, httpOnly: true });
      void reply.setCookie(CSRF_COOKIE, result.csrfToken, { ...cookieBase, httpOnly: false });
      return result;
    },
  });
  app.post('/auth/logout', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'End this session',
      body: z.object({}).optional(),
      response: { 200: okResponse },
    },
    handler: async (req, reply) => {
      const token = requestToken(req);
      if (token) await logout(db.db, callerOf(req), token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      void reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });
  app.get('/me', {
    config: { auth: 'authenticated' },
    schema: { tags, summary: 'The signed-in user, tenant and permissions', response: { 200: me } },
    handler: (req) => getMe(db.db, callerOf(req)),
  });
  app.post('/me/password', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'Change your own password; your other sessions and your API tokens end',
      body: changeOwnPasswordBody,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await changeOwnPassword(
        db.db,
        callerOf(req),
        requestToken(req) ?? '',
        req.body.currentPassword,
        req.body.newPassword,
      );
      return { ok: true as const };
    },
  });
  app.get('/me/tokens', {
    config: { auth: 'token.manage' },
    schema: {
      tags,
      summary: 'Your personal API tokens',
      response: { 200: z.object({ items: z.array(apiToken) }) },
    },
    handler: (req) => listApiTokens(db.db, callerOf(req)),
  });
  app.post('/me/tokens', {
    config: { auth: 'token.manage' },
    schema: {
      tags,
      summary: 'Create a personal API token (the secret is shown once)',
      body: createApiTokenBody,
      response: { 201: createdApiToken },
    },
    handler: async (req, reply) =>
      reply.code(201).send(await createApiToken(db.db, callerOf(req), req.body)),
  });
  app.delete('/me/tokens/:id', {
    config: { auth: 'token.manage' },
    schema: {
      tags,
      summary: 'Revoke a personal API token',
      params: idParams,
      response: { 200: okResponse },
    },
    handler: async (req) => {
      await revokeApiToken(db.db, callerOf(req), req.params.id);
      return { ok: true as const };
    },
  });
}
