import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import type { OrgTreeNode } from '@tide/contract';
import { useOrgTree } from '../../lib/reference-data.ts';

interface TreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

function toOptions(
  nodes: readonly OrgTreeNode[],
  disabledRoot: string | undefined,
  inDisabled: boolean,
): TreeOption[] {
  return nodes.map((node) => {
    const disabled = inDisabled || node.id === disabledRoot;
    return {
      value: node.id,
      title: node.name,
      ...(disabled ? { disabled: true } : {}),
      children: toOptions(node.children, disabledRoot, disabled),
    };
  });
}

interface OrgNodeSelectProps {
  value?: string;
  onChange?: (value: string) => void;
  placeholder?: string;
  /** A node that, with its whole subtree, cannot be chosen (moving a node under itself). */
  excludeSubtreeOf?: string;
  id?: string;
}

/** Picks one team from the org tree. */
export function OrgNodeSelect({
  value,
  onChange,
  placeholder,
  excludeSubtreeOf,
  id,
}: OrgNodeSelectProps) {
  const tree = useOrgTree();
  const treeData = useMemo(
    () => toOptions(tree.data?.roots ?? [], excludeSubtreeOf, false),
    [tree.data, excludeSubtreeOf],
  );
  return (
    <TreeSelect<string>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      treeData={treeData}
      loading={tree.isLoading}
      placeholder={placeholder}
      treeDefaultExpandAll
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ width: '100%' }}
    />
  );
}
