import type { OrgNode, OrgTreeNode } from '@tide/contract';

/** Names from the root down to the node: 总部 / 华东大区 / 杭州一组. */
export function nodePath(nodes: readonly OrgNode[], id: string): OrgNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const path: OrgNode[] = [];
  let current = byId.get(id);
  // Bounded by the node count, so a malformed answer with a cycle cannot hang the page.
  while (current && path.length <= nodes.length) {
    path.unshift(current);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return path;
}

/**
 * The tree pruned to nodes whose name contains the search text, keeping their ancestors
 * so each match is shown in place.
 */
export function filterTree(roots: readonly OrgTreeNode[], search: string): OrgTreeNode[] {
  const needle = search.trim().toLowerCase();
  if (needle === '') return [...roots];
  const result: OrgTreeNode[] = [];
  for (const node of roots) {
    const children = filterTree(node.children, needle);
    if (children.length > 0 || node.name.toLowerCase().includes(needle)) {
      result.push({ ...node, children });
    }
  }
  return result;
}

export function allIds(roots: readonly OrgTreeNode[]): string[] {
  return roots.flatMap((n) => [n.id, ...allIds(n.children)]);
}
