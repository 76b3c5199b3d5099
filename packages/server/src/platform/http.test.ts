import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { buildApp, BODY_LIMIT } from '../app.ts';
import { createTestApp, testConfig, type TestApp } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('HTTP platform', () => {
  it('answers unknown API routes with the error JSON and 404', async () => {
    const res = await t.admin.get('/api/v1/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'No route GET /api/v1/no-such-thing' },
    });
  });

  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "admin", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: 'Malformed JSON body' },
    });
  });

  it('answers schema violations with 400 and the failing fields', async () => {
    const res = await t.admin.post('/api/v1/users', { username: 'x', password: 'short' });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; details: { path: string }[] } }>();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['username', 'password', 'displayName']),
    );
  });

  it('answers oversized bodies with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'admin', password: 'x'.repeat(BODY_LIMIT + 10) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('answers a wrong content type with 400, not a crash', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('gives every response a request id, honouring one sent by a proxy', async () => {
    const a = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const b = await t.app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(b.headers['x-request-id']).toBe('abc-123');
  });

  it('publishes the OpenAPI document and the interactive docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/org/nodes',
        '/api/v1/users/{id}',
        '/api/v1/roles',
        '/api/v1/audit',
      ]),
    );
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('refuses to start with an API route that does not say who may call it', async () => {
    const app = await buildApp({ config: testConfig(), db: t.db }, { logger: false });
    expect(() =>
      app.get('/api/v1/forgotten', {
        schema: { response: { 200: z.object({}) } },
        handler: () => ({}),
      }),
    ).toThrow(/does not declare config.auth/);
    await app.close();
  });

  it('checks a function permission on every non-public route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const open: string[] = [];
    for (const [p, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const url = p.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await t.app.inject({
          method: method.toUpperCase() as 'GET',
          url,
          payload: method === 'get' ? undefined : {},
        });
        if (res.statusCode !== 401) open.push(`${method.toUpperCase()} ${p} → ${res.statusCode}`);
      }
    }
    // Only these may be called without signing in (website forms post leads unsigned).
    expect(open.sort()).toEqual([
      'GET /api/v1/health → 200',
      'POST /api/v1/auth/login → 400',
      'POST /api/v1/intake/leads → 400',
    ]);
  });
});

describe('request log', () => {
  /** An app writing its log into an array, one entry per line. */
  async function loggingApp(logFormat: 'json' | 'pretty') {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const app = await buildApp(
      { config: testConfig({ logLevel: 'info', logFormat }), db: t.db },
      { logStream: stream },
    );
    await app.ready();
    return { app, lines };
  }

  it('writes one JSON line per request, when answered, without the query string', async () => {
    const { app, lines } = await loggingApp('json');
    try {
      const id = 'log-one-line-json';
      const res = await app.inject({
        method: 'GET',
        url: '/api/v1/health?q=13912345678',
        headers: { 'x-request-id': id },
      });
      expect(res.statusCode).toBe(200);
      const mine = lines.filter((l) => l.includes(id));
      expect(mine).toHaveLength(1);
      const entry = JSON.parse(mine[0] ?? '{}') as Record<string, unknown>;
      expect(entry).toMatchObject({
        reqId: id,
        method: 'GET',
        url: '/api/v1/health',
        statusCode: 200,
        msg: expect.stringMatching(/^GET \/api\/v1\/health 200 [\d.]+ ms$/) as unknown,
      });
      expect(typeof entry.responseTime).toBe('number');
      expect(lines.join('\n')).not.toContain('13912345678');
    } finally {
      await app.close();
    }
  });

  it('writes one readable line per request for a terminal', async () => {
    const { app, lines } = await loggingApp('pretty');
    try {
      const id = 'log-one-line-pretty';
      await app.inject({
        method: 'GET',
        url: '/api/v1/no-such-route',
        headers: { 'x-request-id': id },
      });
      const mine = lines.filter((l) => l.includes(id));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatch(
        /^\[\d\d:\d\d:\d\d\] INFO.*GET \/api\/v1\/no-such-route 404 [\d.]+ ms.*log-one-line-pretty/,
      );
      expect(mine[0]).not.toMatch(/^\{/);
    } finally {
      await app.close();
    }
  });
});
