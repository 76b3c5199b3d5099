import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.ts';
import { orgNodes, users } from './org.table.ts';

export type OrgNodeRow = typeof orgNodes.$inferSelect;

export async function findNode(
  db: DbOrTx,
  tenantId: string,
  id: string,
): Promise<OrgNodeRow | undefined> {
  const [row] = await db
    .select()
    .from(orgNodes)
    .where(and(eq(orgNodes.tenantId, tenantId), eq(orgNodes.id, id)));
  return row;
}

/** Locks a node row for the rest of the transaction (moves and deletes take turns). */
export async function lockNode(
  db: DbOrTx,
  tenantId: string,
  id: string,
): Promise<OrgNodeRow | undefined> {
  const [row] = await db
    .select()
    .from(orgNodes)
    .where(and(eq(orgNodes.tenantId, tenantId), eq(orgNodes.id, id)))
    .for('update');
  return row;
}

export async function listNodesWithCounts(db: DbOrTx, tenantId: string) {
  return db
    .select({
      id: orgNodes.id,
      parentId: orgNodes.parentId,
      name: orgNodes.name,
      managerId: orgNodes.managerId,
      depth: orgNodes.depth,
      path: orgNodes.path,
      createdAt: orgNodes.createdAt,
      updatedAt: orgNodes.updatedAt,
      userCount: sql<number>`(SELECT count(*)::int FROM users u WHERE u.node_id = org_nodes.id AND u.active)`,
    })
    .from(orgNodes)
    .where(eq(orgNodes.tenantId, tenantId))
    .orderBy(asc(orgNodes.depth), asc(orgNodes.name));
}

export async function rootNode(db: DbOrTx, tenantId: string): Promise<OrgNodeRow | undefined> {
  const [row] = await db
    .select()
    .from(orgNodes)
    .where(and(eq(orgNodes.tenantId, tenantId), sql`${orgNodes.parentId} IS NULL`));
  return row;
}

/** Moves a subtree: every path under the old prefix gets the new one, in one statement. */
export async function moveSubtree(
  db: DbOrTx,
  tenantId: string,
  node: OrgNodeRow,
  parent: OrgNodeRow,
): Promise<void> {
  const newPath = `${parent.path}${node.id}/`;
  const depthShift = parent.depth + 1 - node.depth;
  await db.execute(sql`
    UPDATE org_nodes
       SET path = ${newPath} || substr(path, ${node.path.length + 1}),
           depth = depth + ${depthShift},
           parent_id = CASE WHEN id = ${node.id} THEN ${parent.id}::uuid ELSE parent_id END,
           updated_at = CASE WHEN id = ${node.id} THEN now() ELSE updated_at END
     WHERE tenant_id = ${tenantId} AND path LIKE ${node.path} || '%'`);
}

export async function nodeUsage(
  db: DbOrTx,
  tenantId: string,
  nodeId: string,
): Promise<{ children: number; users: number; pools: number }> {
  const [row] = await db
    .execute<{ children: number; users: number; pools: number }>(
      sql`
    SELECT (SELECT count(*)::int FROM org_nodes WHERE tenant_id = ${tenantId} AND parent_id = ${nodeId}) AS children,
           (SELECT count(*)::int FROM users WHERE tenant_id = ${tenantId} AND node_id = ${nodeId}) AS users,
           (SELECT count(*)::int FROM pools WHERE tenant_id = ${tenantId} AND node_id = ${nodeId}) AS pools`,
    )
    .then((r) => r.rows);
  return row ?? { children: 0, users: 0, pools: 0 };
}

export async function userExists(db: DbOrTx, tenantId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.active, true)));
  return row !== undefined;
}
