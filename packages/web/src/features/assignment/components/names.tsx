import { Tag, Typography } from 'antd';
import { useQueries } from '@tanstack/react-query';
import type { OrgTreeNode } from '@tide/contract';
import { parentsToLoad, regionPath } from '../../../lib/region-codes.ts';
import { regionsQuery, useOrgTree, useUser } from '../../../lib/reference-data.ts';

/** A rep's name, read by id (the API's answers name people only by id). */
export function RepName({ id }: { id: string }) {
  const user = useUser(id);
  if (user.data) return <>{user.data.displayName}</>;
  return <Typography.Text type="secondary">{user.isPending ? '…' : id}</Typography.Text>;
}

function findNode(nodes: readonly OrgTreeNode[], id: string): OrgTreeNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const found = findNode(node.children, id);
    if (found) return found;
  }
  return undefined;
}

/** A team's name from the org tree. */
export function TeamName({ id }: { id: string }) {
  const tree = useOrgTree();
  const node = findNode(tree.data?.roots ?? [], id);
  return node ? <>{node.name}</> : <Typography.Text type="secondary">{id}</Typography.Text>;
}

/** Divisions by their full names (浙江省杭州市), read through the region picker's own lists. */
export function RegionTags({ codes }: { codes: readonly string[] }) {
  const names = useQueries({
    queries: parentsToLoad(codes).map((parent) => regionsQuery(parent)),
    combine: (results) =>
      new Map(results.flatMap((r) => (r.data ?? []).map((region) => [region.code, region.name]))),
  });
  return (
    <>
      {codes.map((code) => (
        <Tag key={code} data-testid={`region-tag-${code}`}>
          {regionPath(code)
            .map((c) => names.get(c) ?? c)
            .join('')}
        </Tag>
      ))}
    </>
  );
}
