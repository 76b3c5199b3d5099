import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, type Client, type TestApp } from '../test/harness.ts';
import { buildOrg, USER_PASSWORD, type Org } from '../test/fixtures.ts';

/**
 * Walks every operation of the OpenAPI document with malformed requests generated from the
 * operation's own schemas — wrong types, missing required fields, NUL and lone surrogates,
 * huge and negative numbers, empty objects, unknown ids and malformed uuids — signed in as the
 * admin and as a rep, and fails on any 5xx. Seeded, and bounded per operation, so a run is the
 * same every time and stays short; a route added later is covered without touching this file.
 */

const SEED = 20261207;
/** Generated requests per operation and caller, on top of the fixed cases. */
const PER_OPERATION = 6;

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

interface PlausibleOptions {
  depth?: number;
  /** The property the value is for: names the kind of record an id field takes. */
  key?: string;
  poison?: { string?: unknown; number?: unknown };
  full?: boolean;
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** What one generated request sends: path and query as raw URL text, the body as JSON text. */
interface Sample {
  path: Record<string, string>;
  query: string;
  body: string | undefined;
  lang: 'zh-CN' | 'en';
}

const UNKNOWN_ID = '7d0c1f8e-3b5a-4c2d-9e6f-0a1b2c3d4e5f';

/** Values that are wrong almost anywhere, as JSON values. */
const badJson: unknown[] = [
  null,
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  ' ',
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 63,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  [],
  {},
  [null],
  { a: '\u0000' },
  'not-a-uuid',
  UNKNOWN_ID,
  '00000000-0000-0000-0000-000000000000',
  '2026-02-30T25:61:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01',
  'x'.repeat(20_000),
  '<script>alert(1)</script>',
  "'; DROP TABLE leads; --",
];

/** Query and path values that are wrong almost anywhere, already percent-encoded. */
const badRaw: string[] = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%C0%AF',
  '%FF',
  '%',
  '-1',
  '0',
  '1.5',
  '1e309',
  '99999999999999999999999',
  'NaN',
  '',
  ',,,',
  'null',
  'not-a-uuid',
  UNKNOWN_ID,
  '9999-99-99',
  'x'.repeat(3000),
  '..%2F..%2Fetc%2Fpasswd',
];

function seedOf(text: string): number {
  return SEED ^ crypto.createHash('sha256').update(text).digest().readInt32BE(0);
}

class Generator {
  constructor(
    private readonly doc: OpenApi,
    /** Ids of existing records by kind, so some values reach the services rather than the 404. */
    private readonly ids: Map<string, string[]>,
  ) {}

  /** Existing ids for a field by its name (`customerId` → customers, `ownerId` → users). */
  private idsFor(key: string | undefined): string[] {
    const name = (key ?? '').replace(/Ids?$/, '');
    const kind = /^(owner|user|manager|actor|author|transferTo|assignee)/.test(name)
      ? 'users'
      : /^(node|parent)/.test(name)
        ? 'org/nodes'
        : name === 'opportunity'
          ? 'opportunities'
          : `${name}s`;
    return this.ids.get(kind) ?? [...this.ids.values()].flat().slice(0, 10);
  }

  resolve(s: JsonSchema): JsonSchema {
    let schema = s;
    for (let depth = 0; schema.$ref && depth < 10; depth++) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = this.doc.components?.schemas?.[name];
      if (!target) throw new Error(`unresolved ${schema.$ref}`);
      schema = target;
    }
    if (schema.allOf) {
      const parts = schema.allOf.map((p) => this.resolve(p));
      return {
        type: 'object',
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})) as Record<
          string,
          JsonSchema
        >,
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    return schema;
  }

  private typeOf(s: JsonSchema): string | undefined {
    if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
    if (s.type) return s.type;
    if (s.properties) return 'object';
    return undefined;
  }

  /**
   * A value the schema would likely accept. With `poison`, every free-text string and every
   * number takes that value instead (enums, ids and dates stay valid so the request gets past
   * them); with `full`, every optional field is present too.
   */
  plausible(raw: JsonSchema, opts: PlausibleOptions = {}): fc.Arbitrary<unknown> {
    const s = this.resolve(raw);
    const depth = opts.depth ?? 0;
    const inner = { ...opts, depth: depth + 1 };
    const options = s.anyOf ?? s.oneOf;
    if (options) {
      const nonNull = options.filter((o) => this.resolve(o).type !== 'null');
      if (opts.full && nonNull[0]) return this.plausible(nonNull[0], { ...inner, depth });
      return fc.oneof(...options.map((o) => this.plausible(o, { ...inner, depth })));
    }
    if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum);
    if (s.const !== undefined) return fc.constant(s.const);
    switch (this.typeOf(s)) {
      case 'string':
        if (opts.poison && 'string' in opts.poison && !s.format && !s.pattern)
          return fc.constant(opts.poison.string);
        return this.plausibleString(s, opts.key);
      case 'integer':
      case 'number': {
        if (opts.poison && 'number' in opts.poison) return fc.constant(opts.poison.number);
        const min = s.minimum ?? 0;
        const max = Math.min(s.maximum ?? min + 1000, min + 1_000_000);
        const step = s.multipleOf ?? 1;
        return fc
          .integer({ min: Math.ceil(min / step), max: Math.floor(max / step) })
          .map((n) => Number((n * step).toFixed(6)));
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        if (!s.items || depth > 4) return fc.constant([]);
        const minLength = Math.max(s.minItems ?? 0, opts.full ? 1 : 0);
        return fc.array(this.plausible(s.items, { ...inner, key: opts.key }), {
          minLength,
          maxLength: Math.max(minLength, Math.min(s.maxItems ?? 3, 3)),
        });
      }
      case 'object': {
        if (depth > 4) return fc.constant({});
        const props = s.properties ?? {};
        const fields = Object.fromEntries(
          Object.entries(props).map(([k, v]) => [k, this.plausible(v, { ...inner, key: k })]),
        );
        if (Object.keys(props).length === 0 && typeof s.additionalProperties === 'object') {
          return fc.dictionary(
            fc.constantFrom('company', 'phone', '公司名称', '电话'),
            this.plausible(s.additionalProperties, inner),
            { minKeys: opts.full ? 1 : 0, maxKeys: 3 },
          );
        }
        // Full bodies leave out optional ids: one that is not the caller's to give
        // (an owner, say) would refuse the request before the text reaches the database.
        const optionalId = (v: JsonSchema) => {
          const r = this.resolve(v);
          const inner = (r.anyOf ?? r.oneOf ?? [r]).map((o) => this.resolve(o));
          return inner.some(
            (o) => o.format === 'uuid' || (o.items && this.resolve(o.items).format === 'uuid'),
          );
        };
        const full = Object.keys(props).filter(
          (key) => (s.required ?? []).includes(key) || !optionalId(props[key] ?? {}),
        );
        return fc.record(fields, { requiredKeys: opts.full ? full : (s.required ?? []) });
      }
      default:
        return fc.constantFrom('fuzz', 1, true);
    }
  }

  private plausibleString(s: JsonSchema, key: string | undefined): fc.Arbitrary<unknown> {
    switch (s.format) {
      case 'uuid': {
        const ids = this.idsFor(key);
        return ids.length > 0 ? fc.constantFrom(...ids) : fc.constant(UNKNOWN_ID);
      }
      case 'date-time':
        return fc.constantFrom('2026-12-07T09:30:00+08:00', '2030-01-01T00:00:00Z');
      case 'date':
        return fc.constantFrom('2026-12-31', '2027-02-28');
      case 'email':
        return fc.constant('fuzz@example.com');
      default:
        break;
    }
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? 40;
    // Text that fits the field by its name, as a person would type it.
    const k = (key ?? '').toLowerCase();
    const byName = /phone|mobile|tel/.test(k)
      ? ['13800138000', '+8613800138000']
      : k.includes('email')
        ? ['fuzz@example.com']
        : /url|website/.test(k)
          ? ['https://example.com/']
          : k.endsWith('code')
            ? ['330106', '310000']
            : k.includes('month')
              ? ['2026-12']
              : ['测试科技有限公司', 'fuzz', '张三', 'a'];
    const candidates = byName.filter(
      (c) =>
        c.length >= min && c.length <= max && (!s.pattern || new RegExp(s.pattern, 'u').test(c)),
    );
    if (candidates.length > 0) return fc.constantFrom(...candidates);
    if (s.pattern) {
      try {
        return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= max);
      } catch {
        // a pattern fast-check cannot generate from: fall back to any text
      }
    }
    return fc.string({ minLength: min, maxLength: Math.min(max, Math.max(min, 12)) });
  }

  /** Paths of the free-text fields of an object schema, nested objects included. */
  freeTextPaths(raw: JsonSchema, prefix: string[] = []): string[][] {
    const s = this.resolve(raw);
    if (prefix.length > 3) return [];
    const options = s.anyOf ?? s.oneOf;
    if (options) {
      const nonNull = options.find((o) => this.resolve(o).type !== 'null');
      return nonNull ? this.freeTextPaths(nonNull, prefix) : [];
    }
    const type = this.typeOf(s);
    if (type === 'string' && !s.enum && !s.format && !s.pattern) return [prefix];
    if (type !== 'object') return [];
    return Object.entries(s.properties ?? {}).flatMap(([k, v]) =>
      this.freeTextPaths(v, [...prefix, k]),
    );
  }

  /** A value the schema must refuse (or, for unknown ids, answer 404 for). */
  malformed(raw: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(raw);
    const specific: unknown[] = [];
    if (s.maxLength !== undefined && s.maxLength < 100_000)
      specific.push('长'.repeat(s.maxLength + 1));
    if (s.minLength) specific.push('');
    if (s.maximum !== undefined) specific.push(s.maximum + 1, s.maximum * 1000);
    if (s.minimum !== undefined) specific.push(s.minimum - 1);
    if (s.enum) specific.push('not-in-the-list');
    if (s.maxItems !== undefined && s.items) specific.push(new Array(s.maxItems + 1).fill(null));
    const generic = fc.constantFrom(...badJson, ...specific);
    const type = this.typeOf(s);
    if (depth < 3 && type === 'object' && s.properties) {
      return fc.oneof(generic, this.withOneBad(s, depth + 1));
    }
    if (depth < 3 && type === 'array' && s.items) {
      return fc.oneof(
        generic,
        fc.array(this.malformed(s.items, depth + 1), { minLength: 1, maxLength: 2 }),
      );
    }
    return generic;
  }

  /** A plausible object with one field made wrong or left out. */
  withOneBad(s: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
    const props = s.properties ?? {};
    const keys = Object.keys(props);
    if (keys.length === 0) return fc.constant({});
    return fc.tuple(fc.constantFrom(...keys), fc.boolean()).chain(([key, drop]) => {
      const fields = Object.fromEntries(
        Object.entries(props)
          .filter(([k]) => !(drop && k === key))
          .map(([k, v]) => [
            k,
            k === key ? this.malformed(v, depth) : this.plausible(v, { depth, key: k }),
          ]),
      );
      const required = (s.required ?? []).filter((k) => !(drop && k === key));
      return fc.record(fields, {
        requiredKeys: drop ? required : [...new Set([...required, key])],
      });
    });
  }

  queryValue(raw: JsonSchema): fc.Arbitrary<string> {
    return this.plausible(raw).map((v) =>
      encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v)),
    );
  }

  sample(route: string, op: Operation, known: Map<string, string[]>): fc.Arbitrary<Sample> {
    const params = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const queryParams = params.filter((p) => p.in === 'query');
    const bodySchema = op.requestBody?.content?.['application/json']?.schema;

    const path = fc.record(
      Object.fromEntries(
        pathParams.map((p) => {
          const existing = known.get(p.name) ?? [];
          const plausible = this.queryValue(p.schema ?? {});
          const arbs: fc.WeightedArbitrary<string>[] = [
            { arbitrary: fc.constantFrom(...badRaw), weight: 2 },
            { arbitrary: plausible, weight: 1 },
          ];
          if (existing.length > 0)
            arbs.push({
              arbitrary: fc.constantFrom(...existing.map(encodeURIComponent)),
              weight: 4,
            });
          return [p.name, fc.oneof(...arbs)];
        }),
      ),
    );

    const queryFields = Object.fromEntries(
      queryParams.map((p) => [p.name, this.queryValue(p.schema ?? {})]),
    );
    const required = queryParams.filter((p) => p.required).map((p) => p.name);
    const plausibleQuery = fc.record(queryFields, { requiredKeys: required });
    const query: fc.Arbitrary<string> =
      queryParams.length === 0
        ? fc.oneof(
            fc.constant(''),
            fc.constantFrom(...badRaw).map((v) => `x=${v}`),
          )
        : fc
            .tuple(
              plausibleQuery,
              fc.constantFrom(...queryParams.map((p) => p.name)),
              fc.oneof(
                { arbitrary: fc.constantFrom(...badRaw), weight: 3 },
                { arbitrary: fc.constant(undefined), weight: 1 },
              ),
              fc.boolean(),
            )
            .map(([q, name, bad, repeat]) => {
              const entries = Object.entries(q as Record<string, string>);
              if (bad !== undefined) {
                const rest = entries.filter(([k]) => k !== name);
                entries.splice(0, entries.length, ...rest, [name, bad]);
                if (repeat) entries.push([name, bad]);
              }
              return entries.map(([k, v]) => `${k}=${v}`).join('&');
            });

    const body: fc.Arbitrary<string | undefined> = bodySchema
      ? fc.oneof(
          { arbitrary: this.plausible(bodySchema).map((v) => JSON.stringify(v)), weight: 2 },
          {
            arbitrary: this.withOneBad(this.resolve(bodySchema)).map((v) => JSON.stringify(v)),
            weight: 5,
          },
          { arbitrary: this.malformed(bodySchema).map((v) => JSON.stringify(v)), weight: 2 },
          { arbitrary: fc.constantFrom('{', '{"a":1,}', '', '\u0000'), weight: 1 },
        )
      : fc.constant(undefined);

    return fc
      .record({ path, query, body, lang: fc.constantFrom('zh-CN' as const, 'en' as const) })
      .map((r) => ({ ...r, path: r.path }));
  }
}

/** Every free-text string, or every number, of a request made one bad value at once. */
const poisons: { string?: unknown; number?: unknown; raw: string }[] = [
  { string: 'a\u0000b', raw: 'a%00b' },
  { string: 'x\ud800', raw: 'x%ED%A0%80' },
  { string: '', raw: '' },
  { number: 1e308, raw: '1e308' },
  { number: 2 ** 63, raw: '9223372036854775808' },
  { number: -1, raw: '-1' },
];

/**
 * The fixed cases of an operation: every field poisoned at once (so a NUL reaches every
 * column a route writes), then each bad path value with a plausible body, then `{}`.
 */
function fixedCases(
  gen: Generator,
  route: string,
  op: Operation,
  known: Map<string, string[]>,
  seed: number,
): Sample[] {
  const one = <T>(arb: fc.Arbitrary<T>): T => {
    const [v] = fc.sample(arb, { seed, numRuns: 1 });
    return v as T;
  };
  const params = op.parameters ?? [];
  const names = params.filter((p) => p.in === 'path').map((p) => p.name);
  const existingPath = Object.fromEntries(
    names.map((n) => [n, encodeURIComponent(known.get(n)?.[0] ?? UNKNOWN_ID)]),
  );
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const cases: Sample[] = [];
  for (const poison of poisons) {
    const query = params
      .filter((p) => p.in === 'query')
      .map((p) => {
        const schema = gen.resolve(p.schema ?? {});
        const free = schema.type === 'string' && !schema.enum && !schema.format;
        const numeric = schema.type === 'integer' || schema.type === 'number';
        if ((free && 'string' in poison) || (numeric && 'number' in poison))
          return `${p.name}=${poison.raw}`;
        return `${p.name}=${one(gen.queryValue(p.schema ?? {}))}`;
      })
      .join('&');
    const body = bodySchema
      ? JSON.stringify(one(gen.plausible(bodySchema, { poison, full: true })))
      : undefined;
    cases.push({ path: existingPath, query, body, lang: 'zh-CN' });
  }
  if (names.length > 0) {
    const body = bodySchema
      ? JSON.stringify(one(gen.plausible(bodySchema, { full: true })))
      : undefined;
    for (const bad of ['%00', '%ED%A0%80', 'not-a-uuid', UNKNOWN_ID]) {
      cases.push({
        path: Object.fromEntries(names.map((n) => [n, bad])),
        query: '',
        body,
        lang: 'en',
      });
    }
  }
  if (bodySchema) {
    cases.push({ path: existingPath, query: '', body: '{}', lang: 'en' });
    // A NUL or a lone surrogate in one field at a time: a pattern elsewhere cannot refuse
    // the request first.
    // On the least body the schema takes, so no other field's own check refuses it first.
    const least = one(gen.plausible(bodySchema));
    for (const path of gen.freeTextPaths(bodySchema).slice(0, 10)) {
      for (const bad of ['a\u0000b', 'x\ud800']) {
        cases.push({
          path: existingPath,
          query: '',
          body: JSON.stringify(setAt(least, path, bad)),
          lang: 'zh-CN',
        });
      }
    }
  }
  return cases;
}

function setAt(value: unknown, path: string[], leaf: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return leaf;
  const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  return { ...obj, [head]: setAt((obj as Record<string, unknown>)[head], rest, leaf) };
}

/** Every string under a key of that name in a JSON answer, to find existing records' ids. */
function valuesOf(value: unknown, key: string, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) valuesOf(v, key, into);
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === key && typeof v === 'string') into.add(v);
      else valuesOf(v, key, into);
    }
  }
  return into;
}

let t: TestApp;
let org: Org;
let doc: OpenApi;

beforeAll(async () => {
  t = await createTestApp();
  org = await buildOrg(t);
  const rep = org.users.repA1.client;
  // Records of every kind the routes take ids of, so some requests reach the services.
  const created = async (res: Promise<{ statusCode: number; body: string }>): Promise<string> => {
    const r = await res;
    if (r.statusCode >= 300) throw new Error(`seeding failed: ${r.statusCode} ${r.body}`);
    return (JSON.parse(r.body) as { id: string }).id;
  };
  const customerId = await created(rep.post('/api/v1/customers', { name: '模糊测试科技有限公司' }));
  await created(rep.post('/api/v1/contacts', { customerId, name: '张三', phone: '13800138001' }));
  await created(rep.post('/api/v1/opportunities', { customerId, name: '年度合同', amount: 1000 }));
  await created(
    rep.post(`/api/v1/customers/${customerId}/follow-ups`, { type: 'call', content: '电话' }),
  );
  await created(t.admin.post('/api/v1/customers', { name: '公海客户有限公司', ownerId: null }));
  const leadId = await created(
    rep.post('/api/v1/leads', { company: '模糊线索公司', phone: '13800138002' }),
  );
  await created(rep.post(`/api/v1/leads/${leadId}/follow-ups`, { type: 'visit', content: '拜访' }));
  await created(t.admin.post('/api/v1/leads', { company: '公海线索公司', ownerId: null }));
  const deleted = await created(t.admin.post('/api/v1/leads', { company: '已删除线索公司' }));
  await t.admin.del(`/api/v1/leads/${deleted}`);
  await created(t.admin.post('/api/v1/me/tokens', { name: 'fuzz' }));
  await created(t.admin.post('/api/v1/duplicates/reports', { entity: 'customer' }));
  const upload = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports?type=leads&fileName=leads.csv',
    headers: { authorization: `Bearer ${t.admin.token}`, 'content-type': 'text/csv' },
    payload: '公司名称,电话\n导入测试公司,13800138003\n',
  });
  expect(upload.statusCode).toBe(201);
  doc = t.app.swagger() as unknown as OpenApi;
});
afterAll(async () => {
  await t.close();
});

describe('malformed requests over every route of the OpenAPI document', () => {
  it('never answer a 5xx, signed in as the admin or as a rep', async () => {
    const started = performance.now();
    const callers: Record<'admin' | 'rep', { client: Client; username: string; password: string }> =
      {
        admin: { client: t.admin, username: 'admin', password: ADMIN_PASSWORD },
        rep: { client: org.users.repA1.client, username: 'a.rep1', password: USER_PASSWORD },
      };
    const callerIds = new Set([org.users.repA1.id]);
    const me = await t.admin.get('/api/v1/me');
    callerIds.add(me.json<{ id: string }>().id);

    // Deletions last, so the other routes still find records to work on.
    const operations = Object.entries(doc.paths)
      .flatMap(([route, methods]) =>
        Object.entries(methods).map(([method, op]) => ({
          route,
          method: method.toUpperCase(),
          op,
        })),
      )
      .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
    // Existing values for each path parameter, from the list the route hangs under, read
    // just before the route's turn: an earlier route may have deleted the first ones.
    const knownFor = async (route: string): Promise<Map<string, string[]>> => {
      const known = new Map<string, string[]>();
      for (const [, name = ''] of route.matchAll(/\{(\w+)\}/g)) {
        const res = await callers.admin.client.get(route.slice(0, route.indexOf(`/{${name}}`)));
        const found = res.statusCode === 200 ? valuesOf(res.json(), name, new Set()) : [];
        known.set(name, [...found].filter((v) => !callerIds.has(v)).slice(0, 6));
      }
      return known;
    };
    const idsByKind = new Map<string, string[]>();
    for (const kind of [
      'users',
      'org/nodes',
      'customers',
      'contacts',
      'leads',
      'opportunities',
      'pools',
      'follow-ups',
      'import-templates',
    ]) {
      const res = await t.admin.get(`/api/v1/${kind}`);
      const ids = [...valuesOf(res.json(), 'id', new Set())].filter((v) => !callerIds.has(v));
      idsByKind.set(kind, ids.slice(0, 6));
    }
    const gen = new Generator(doc, idsByKind);

    const failures: string[] = [];
    let sent = 0;
    const statuses = new Map<number, number>();
    const opTimes = new Map<string, number>();
    for (const { route, method, op } of operations) {
      const known = await knownFor(route);
      const seed = seedOf(`${method} ${route}`);
      const samples = [
        ...fixedCases(gen, route, op, known, seed),
        ...fc.sample(gen.sample(route, op, known), { seed, numRuns: PER_OPERATION }),
      ];
      const opStarted = performance.now();
      for (const [name, caller] of Object.entries(callers)) {
        for (const s of samples) {
          const url =
            route.replace(/\{(\w+)\}/g, (_, p: string) => s.path[p] ?? UNKNOWN_ID) +
            (s.query ? `?${s.query}` : '');
          sent++;
          const res = await t.app.inject({
            method: method as 'GET',
            url,
            headers: {
              authorization: `Bearer ${caller.client.token}`,
              'accept-language': s.lang,
              ...(s.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            // Spread over addresses so the sign-in limits of one address do not end the walk.
            remoteAddress: `198.51.100.${sent % 250}`,
            ...(s.body === undefined ? {} : { payload: s.body }),
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode >= 500) {
            failures.push(
              `${name} ${method} ${url} ${s.body?.slice(0, 300) ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
          }
        }
        // A route may end the caller's session (sign-out): sign in again for the next one.
        if ((await caller.client.get('/api/v1/me')).statusCode === 401) {
          caller.client = await t.login(caller.username, caller.password);
        }
      }
      opTimes.set(`${method} ${route}`, performance.now() - opStarted);
    }
    const seconds = (performance.now() - started) / 1000;
    const slowest = [...opTimes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, v]) => `${k} ${Math.round(v)} ms`);
    console.info(
      `malformed requests: ${sent} sent to ${operations.length} operations in ${seconds.toFixed(1)} s, ${failures.length} answered 5xx`,
      Object.fromEntries(statuses),
      slowest,
    );
    expect(failures).toEqual([]);
  }, 180_000);
});
