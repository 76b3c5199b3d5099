import { useMemo, useState, type Key } from 'react';
import { Card, Empty, Input, Tooltip, Tree, Typography, type TreeDataNode } from 'antd';
import { ApartmentOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgTreeNode } from '@tide/contract';
import { allIds, filterTree } from './tree-utils.ts';

interface OrgTreePanelProps {
  roots: readonly OrgTreeNode[];
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}

function NodeTitle({ node }: { node: OrgTreeNode }) {
  const { t } = useTranslation();
  return (
    <span data-testid={`org-node-${node.id}`} data-node-name={node.name}>
      <span className="org-node-name">{node.name}</span>{' '}
      <Tooltip title={t('org.members', { count: node.userCount })}>
        <Typography.Text type="secondary">({node.userCount})</Typography.Text>
      </Tooltip>
    </span>
  );
}

function toTreeData(nodes: readonly OrgTreeNode[]): TreeDataNode[] {
  return nodes.map((node) => ({
    key: node.id,
    title: <NodeTitle node={node} />,
    children: toTreeData(node.children),
  }));
}

export function OrgTreePanel({ roots, selectedId, onSelect }: OrgTreePanelProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const filtered = useMemo(() => filterTree(roots, search), [roots, search]);
  const treeData = useMemo(() => toTreeData(filtered), [filtered]);
  const [expanded, setExpanded] = useState<Key[] | null>(null);
  // Everything open until the user folds a branch; a search opens every match again.
  const expandedKeys = search.trim() !== '' || expanded === null ? allIds(filtered) : expanded;

  return (
    <Card
      title={
        <span>
          <ApartmentOutlined /> {t('org.tree')}
        </span>
      }
      styles={{ body: { paddingInline: 12 } }}
    >
      <Input.Search
        allowClear
        placeholder={t('org.searchTree')}
        onChange={(e) => {
          setSearch(e.target.value);
        }}
        style={{ marginBottom: 12 }}
        data-testid="org-tree-search"
      />
      <div data-testid="org-tree">
        {treeData.length === 0 ? (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={t(search ? 'common.noData' : 'org.emptyTree')}
          />
        ) : (
          <Tree
            blockNode
            showLine
            treeData={treeData}
            expandedKeys={expandedKeys}
            onExpand={(keys) => {
              setExpanded(keys);
            }}
            selectedKeys={selectedId ? [selectedId] : []}
            onSelect={(keys) => {
              const key = keys[0];
              if (typeof key === 'string') onSelect(key);
            }}
          />
        )}
      </div>
    </Card>
  );
}
