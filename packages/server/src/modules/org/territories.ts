import { and, eq, sql } from 'drizzle-orm';
import {
  NATIONWIDE,
  idParams,
  region,
  regionQuery,
  territory,
  territoryBody,
  type Region,
  type Territory,
} from '@tide/contract';
import { z } from 'zod';
import type { Deps } from '../../app.ts';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { callerOf, type App } from '../../platform/http.ts';
import { divisionIndex } from '../normalize/divisions.ts';
import { orgNodes } from './org.table.ts';

/**
 * Territories (SPEC §1): org nodes bound to province, city or district codes. A node
 * without bindings inherits its parent's; `000000` binds a node to the whole country.
 */

const nationwideRegion: Region = { code: NATIONWIDE, name: '全国', level: 0 };

function regionOf(code: string): Region | undefined {
  if (code === NATIONWIDE) return nationwideRegion;
  const d = divisionIndex().byCode(code);
  if (!d) return undefined;
  // Cities and districts carry their parents' names, so a binding reads on its own.
  const names = [d.name];
  for (let p = d.parentCode; p; p = divisionIndex().byCode(p)?.parentCode ?? null) {
    const parent = divisionIndex().byCode(p);
    if (parent) names.unshift(parent.name);
  }
  return { code, name: names.join(''), level: d.level };
}

export function regions(parent: string | undefined): Region[] {
  const index = divisionIndex();
  const list = parent ? index.children(parent) : index.provinces;
  return list.map((d) => ({ code: d.code, name: d.name, level: d.level }));
}

export async function listTerritories(db: DbOrTx, tenantId: string): Promise<Territory[]> {
  const rows = await db.execute(sql`
    SELECT n.id, n.name, n.path, coalesce(array_agg(b.region_code ORDER BY b.region_code)
                                           FILTER (WHERE b.region_code IS NOT NULL), '{}') AS codes
      FROM org_nodes n LEFT JOIN territory_bindings b ON b.node_id = n.id
     WHERE n.tenant_id = ${tenantId}
     GROUP BY n.id, n.name, n.path ORDER BY n.path`);
  return (
    rows as unknown as { rows: { id: string; name: string; path: string; codes: string[] }[] }
  ).rows.map((r) => ({
    nodeId: r.id,
    nodeName: r.name,
    nodePath: r.path,
    regions: r.codes.map((c) => regionOf(c) ?? { code: c, name: c, level: 0 }),
    nationwide: r.codes.includes(NATIONWIDE),
  }));
}

export async function setTerritory(
  db: Db,
  caller: Caller,
  nodeId: string,
  codes: readonly string[],
): Promise<Territory> {
  const unique = [...new Set(codes)];
  const resolved = unique.map((c) => {
    const r = regionOf(c);
    if (!r) throw invalid(`Unknown region code ${c}`, { path: 'regionCodes', code: c });
    return r;
  });
  await db.transaction(async (tx) => {
    const [node] = await tx
      .select({ id: orgNodes.id })
      .from(orgNodes)
      .where(and(eq(orgNodes.tenantId, caller.tenantId), eq(orgNodes.id, nodeId)))
      .for('update');
    if (!node) throw notFound('Org node');
    const before = (await listTerritories(tx, caller.tenantId)).find((t) => t.nodeId === nodeId);
    await tx.execute(sql`DELETE FROM territory_bindings WHERE node_id = ${nodeId}`);
    for (const r of resolved)
      await tx.execute(sql`
        INSERT INTO territory_bindings (tenant_id, node_id, region_code, region_name)
        VALUES (${caller.tenantId}, ${nodeId}, ${r.code}, ${r.name})`);
    await audit(tx, caller, {
      entity: 'org_node',
      entityId: nodeId,
      action: 'update',
      before: { territory: before?.regions.map((r) => r.name) ?? [] },
      after: { territory: resolved.map((r) => r.name) },
    });
  });
  const after = (await listTerritories(db, caller.tenantId)).find((t) => t.nodeId === nodeId);
  if (!after) throw notFound('Org node');
  return after;
}

export function territoryRoutes(app: App, { db }: Deps): void {
  const tags = ['org'];
  app.get('/regions', {
    config: { auth: 'authenticated' },
    schema: {
      tags,
      summary: 'Provinces, or the children of a division',
      querystring: regionQuery,
      response: { 200: z.object({ items: z.array(region) }) },
    },
    handler: (req) => ({ items: regions(req.query.parent) }),
  });
  app.get('/territories', {
    config: { auth: 'org.view' },
    schema: {
      tags,
      summary: 'Every org node with the regions bound to it',
      response: { 200: z.object({ items: z.array(territory) }) },
    },
    handler: async (req) => ({ items: await listTerritories(db.db, callerOf(req).tenantId) }),
  });
  app.put('/org/nodes/:id/territory', {
    config: { auth: 'org.manage' },
    schema: {
      tags,
      summary: "Bind a node to regions (`['000000']`: nationwide; `[]`: inherit its parent's)",
      params: idParams,
      body: territoryBody,
      response: { 200: territory },
    },
    handler: (req) => setTerritory(db.db, callerOf(req), req.params.id, req.body.regionCodes),
  });
}
