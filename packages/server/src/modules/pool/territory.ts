import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { NATIONWIDE, type PoolEntity } from '@tide/contract';
import { type DbOrTx, rowsOf } from '../../platform/db.ts';

/**
 * Territories as the pool rules read them (SPEC §1): a rep's territory is that of their
 * nearest node with bindings (none in the chain, or nationwide: no limit); a record's
 * region belongs to the most specific binding (district, then city, then province, then
 * the deepest node). Read for many reps and records at once, decided in memory.
 */

export interface RepTerritory {
  /** The node whose bindings apply to the rep; null: no limit. */
  nodeId: string | null;
  nationwide: boolean;
}

export interface RegionOwner {
  nodeId: string;
  nodeName: string;
  regionName: string;
}

export async function repTerritories(
  db: DbOrTx,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, RepTerritory>> {
  const rows = rowsOf<{ id: string; node_id: string | null; nationwide: boolean | null }>(
    await db.execute(sql`
      SELECT u.id, e.node_id, e.nationwide
        FROM users u JOIN org_nodes un ON un.id = u.node_id
        LEFT JOIN LATERAL (
          SELECT n.id AS node_id, bool_or(b.region_code = ${NATIONWIDE}) AS nationwide
            FROM org_nodes n JOIN territory_bindings b ON b.node_id = n.id
           WHERE n.tenant_id = u.tenant_id AND un.path LIKE n.path || '%'
           GROUP BY n.id, n.depth ORDER BY n.depth DESC LIMIT 1
        ) e ON true
       WHERE u.tenant_id = ${tenantId} AND u.id = ANY(${sql.param([...userIds])}::uuid[])`),
  );
  return new Map(rows.map((r) => [r.id, { nodeId: r.node_id, nationwide: r.nationwide === true }]));
}

/** The team owning each record's region; records without a region or owner are absent. */
export async function regionOwners(
  db: DbOrTx,
  tenantId: string,
  entity: PoolEntity,
  ids: readonly string[],
): Promise<Map<string, RegionOwner>> {
  const table = sql.raw(entity === 'lead' ? 'leads' : 'customers');
  const rows = rowsOf<{ id: string; node_id: string; node_name: string; region_name: string }>(
    await db.execute(sql`
      SELECT r.id, o.node_id, o.node_name, o.region_name
        FROM ${table} r
        JOIN LATERAL (
          SELECT b.node_id, n.name AS node_name, b.region_name
            FROM territory_bindings b JOIN org_nodes n ON n.id = b.node_id
           WHERE b.tenant_id = r.tenant_id
             AND b.region_code IN (r.district_code, r.city_code, r.province_code)
           ORDER BY (b.region_code = r.district_code) DESC, (b.region_code = r.city_code) DESC,
                    n.depth DESC
           LIMIT 1
        ) o ON true
       WHERE r.tenant_id = ${tenantId} AND r.id = ANY(${sql.param([...ids])}::uuid[])`),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { nodeId: r.node_id, nodeName: r.node_name, regionName: r.region_name },
    ]),
  );
}

/** Whether the rep may hold a record of this region. */
export function withinTerritory(
  rep: RepTerritory | undefined,
  owner: RegionOwner | undefined,
): boolean {
  return !owner || !rep?.nodeId || rep.nationwide || rep.nodeId === owner.nodeId;
}

/** No team's territory covers the record's region (or it has none). */
export function untouchedByTerritory(
  tenantId: AnyColumn,
  district: AnyColumn,
  city: AnyColumn,
  province: AnyColumn,
): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM territory_bindings b WHERE b.tenant_id = ${tenantId}
                            AND b.region_code IN (${district}, ${city}, ${province}))`;
}
