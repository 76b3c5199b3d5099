import { z } from 'zod';
import { id, timestamp } from './common.ts';

export const orgNode = z
  .object({
    id,
    parentId: id.nullable(),
    name: z.string(),
    managerId: id.nullable(),
    depth: z.number().int(),
    userCount: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'OrgNode' });
export type OrgNode = z.infer<typeof orgNode>;

export interface OrgTreeNode extends OrgNode {
  children: OrgTreeNode[];
}
export const orgTreeNode: z.ZodType<OrgTreeNode> = orgNode
  .extend({ children: z.array(z.lazy(() => orgTreeNode)) })
  .meta({ id: 'OrgTreeNode' });

export const orgTree = z.object({ roots: z.array(orgTreeNode), nodes: z.array(orgNode) });
export type OrgTree = z.infer<typeof orgTree>;

const nodeName = z.string().trim().min(1).max(80);

export const createOrgNodeBody = z.object({
  name: nodeName,
  parentId: id,
  managerId: id.nullable().optional(),
});
export type CreateOrgNodeBody = z.infer<typeof createOrgNodeBody>;

/** Rename, move (a new parent: the whole subtree moves) or set the manager. */
export const updateOrgNodeBody = z.object({
  name: nodeName.optional(),
  parentId: id.optional(),
  managerId: id.nullable().optional(),
});
export type UpdateOrgNodeBody = z.infer<typeof updateOrgNodeBody>;
