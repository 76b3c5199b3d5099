import { and, eq, sql } from 'drizzle-orm';
import type {
  CreateOrgNodeBody,
  OrgNode,
  OrgTree,
  OrgTreeNode,
  UpdateOrgNodeBody,
} from '@tide/contract';
import { audit } from '../../platform/audit.ts';
import type { Caller } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, conflict, invalid, isUniqueViolation, notFound } from '../../platform/errors.ts';
import {
  findNode,
  listNodesWithCounts,
  lockNode,
  moveSubtree,
  nodeUsage,
  userExists,
  type OrgNodeRow,
} from './org.repo.ts';
import { orgNodes } from './org.table.ts';

type NodeWithCount = Awaited<ReturnType<typeof listNodesWithCounts>>[number];

function toNode(n: NodeWithCount): OrgNode {
  return {
    id: n.id,
    parentId: n.parentId,
    name: n.name,
    managerId: n.managerId,
    depth: n.depth,
    userCount: n.userCount,
    createdAt: n.createdAt.toISOString(),
    updatedAt: n.updatedAt.toISOString(),
  };
}

function snapshot(n: OrgNodeRow) {
  return { name: n.name, parentId: n.parentId, managerId: n.managerId };
}

/** The whole tree: names of teams are not secret inside a tenant (SPEC §1). */
export async function getOrgTree(db: Db, caller: Caller): Promise<OrgTree> {
  const rows = await listNodesWithCounts(db, caller.tenantId);
  const nodes = rows.map(toNode);
  const byId = new Map<string, OrgTreeNode>(nodes.map((n) => [n.id, { ...n, children: [] }]));
  const roots: OrgTreeNode[] = [];
  for (const n of byId.values()) {
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return { roots, nodes };
}

async function getNodeView(db: Db, tenantId: string, id: string): Promise<OrgNode> {
  const rows = await listNodesWithCounts(db, tenantId);
  const row = rows.find((r) => r.id === id);
  if (!row) throw notFound('Org node');
  return toNode(row);
}

async function checkManager(
  db: Db,
  tenantId: string,
  managerId: string | null | undefined,
): Promise<void> {
  if (managerId && !(await userExists(db, tenantId, managerId))) {
    throw invalid('The manager must be an active user of this tenant', { path: 'managerId' });
  }
}

function siblingNameTaken(err: unknown): boolean {
  return isUniqueViolation(err, 'org_nodes_sibling_name');
}

export async function createOrgNode(
  db: Db,
  caller: Caller,
  body: CreateOrgNodeBody,
): Promise<OrgNode> {
  await checkManager(db, caller.tenantId, body.managerId);
  const id = await db
    .transaction(async (tx) => {
      const parent = await lockNode(tx, caller.tenantId, body.parentId);
      if (!parent) throw invalid('The parent node does not exist', { path: 'parentId' });
      const [row] = await tx
        .insert(orgNodes)
        .values({
          tenantId: caller.tenantId,
          parentId: parent.id,
          name: body.name,
          path: '/',
          depth: parent.depth + 1,
          managerId: body.managerId ?? null,
        })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      await tx
        .update(orgNodes)
        .set({ path: `${parent.path}${row.id}/` })
        .where(eq(orgNodes.id, row.id));
      await audit(tx, caller, {
        entity: 'org_node',
        entityId: row.id,
        action: 'create',
        after: snapshot(row),
      });
      return row.id;
    })
    .catch((err: unknown) => {
      if (siblingNameTaken(err))
        throw conflict(`A node named "${body.name}" already exists under this parent`);
      throw err;
    });
  return getNodeView(db, caller.tenantId, id);
}

/** Rename, set the manager, or move the node with its whole subtree (never under itself). */
export async function updateOrgNode(
  db: Db,
  caller: Caller,
  id: string,
  body: UpdateOrgNodeBody,
): Promise<OrgNode> {
  await checkManager(db, caller.tenantId, body.managerId);
  await db
    .transaction(async (tx) => {
      // Serialise tree changes of a tenant so two concurrent moves cannot build a cycle.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('org:' || ${caller.tenantId}))`);
      const node = await lockNode(tx, caller.tenantId, id);
      if (!node) throw notFound('Org node');
      const before = snapshot(node);
      if (body.parentId !== undefined && body.parentId !== node.parentId) {
        if (node.parentId === null) throw conflict('The root node cannot be moved');
        const parent = await findNode(tx, caller.tenantId, body.parentId);
        if (!parent) throw invalid('The new parent node does not exist', { path: 'parentId' });
        if (parent.path.startsWith(node.path)) {
          throw conflict('A node cannot be moved under itself or one of its descendants', {
            nodeId: node.id,
            parentId: parent.id,
          });
        }
        await moveSubtree(tx, caller.tenantId, node, parent);
      }
      const set: Partial<typeof orgNodes.$inferInsert> = {};
      if (body.name !== undefined) set.name = body.name;
      if (body.managerId !== undefined) set.managerId = body.managerId;
      if (Object.keys(set).length > 0) {
        await tx
          .update(orgNodes)
          .set({ ...set, updatedAt: sql`now()` })
          .where(and(eq(orgNodes.tenantId, caller.tenantId), eq(orgNodes.id, id)));
      }
      const after = await findNode(tx, caller.tenantId, id);
      const moved = body.parentId !== undefined && body.parentId !== node.parentId;
      await audit(tx, caller, {
        entity: 'org_node',
        entityId: id,
        action: moved ? 'move' : 'update',
        before,
        after: after ? snapshot(after) : null,
      });
    })
    .catch((err: unknown) => {
      if (siblingNameTaken(err))
        throw conflict(`A node with this name already exists under the target parent`);
      throw err;
    });
  return getNodeView(db, caller.tenantId, id);
}

/** Only an empty node goes: no child nodes, no users (active or not), no pool bound to it. */
export async function deleteOrgNode(db: Db, caller: Caller, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const node = await lockNode(tx, caller.tenantId, id);
    if (!node) throw notFound('Org node');
    if (node.parentId === null) throw conflict('The root node cannot be deleted');
    const usage = await nodeUsage(tx, caller.tenantId, id);
    if (usage.children > 0 || usage.users > 0 || usage.pools > 0) {
      throw new AppError(
        'CONFLICT',
        'Only an empty node can be deleted: move its child nodes, users and pools first',
        usage,
      );
    }
    await tx
      .delete(orgNodes)
      .where(and(eq(orgNodes.tenantId, caller.tenantId), eq(orgNodes.id, id)));
    await audit(tx, caller, {
      entity: 'org_node',
      entityId: id,
      action: 'delete',
      before: snapshot(node),
    });
  });
}
