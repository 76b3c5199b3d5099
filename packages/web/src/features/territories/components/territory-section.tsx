import { useState } from 'react';
import { Button, Divider, Flex, Spin, Tag, Typography } from 'antd';
import { EditOutlined, GlobalOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgNode, Territory } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { boundRegions } from '../../../lib/region-codes.ts';
import { useTerritories } from '../api/territories.ts';
import { TerritoryDialog } from './territory-dialog.tsx';

function hasBinding(territory: Territory | undefined): territory is Territory {
  return (
    territory !== undefined && (territory.nationwide || boundRegions(territory.regions).length > 0)
  );
}

/**
 * The territory that applies to the node: its own bindings, or else the nearest
 * ancestor's (SPEC §1: a node without bindings inherits its parent's).
 */
function effectiveTerritory(
  node: OrgNode,
  nodes: readonly OrgNode[],
  territories: readonly Territory[],
): Territory | undefined {
  const byNode = new Map(territories.map((tr) => [tr.nodeId, tr]));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let current: OrgNode | undefined = node;
  // Bounded by the node count, so a malformed answer with a cycle cannot hang the page.
  for (let steps = 0; current && steps <= nodes.length; steps++) {
    const own = byNode.get(current.id);
    if (hasBinding(own)) return own;
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return undefined;
}

function RegionTags({ territory, inherited }: { territory: Territory; inherited: boolean }) {
  const { t } = useTranslation();
  const regions = boundRegions(territory.regions);
  if (territory.nationwide)
    return (
      <Tag
        icon={<GlobalOutlined />}
        color={inherited ? 'default' : 'geekblue'}
        data-testid="territory-nationwide-tag"
      >
        {t('territories.nationwide')}
      </Tag>
    );
  // A binding is named in full by the server (浙江省杭州市), so it reads on its own.
  return (
    <Flex gap={4} wrap>
      {regions.map((r) => (
        <Tag
          key={r.code}
          color={inherited ? 'default' : 'blue'}
          data-testid={`territory-region-${r.code}`}
        >
          {r.name}
        </Tag>
      ))}
    </Flex>
  );
}

interface TerritorySectionProps {
  node: OrgNode;
  nodes: readonly OrgNode[];
  canManage: boolean;
}

/** 负责区域 of the selected team on the org page, with its editor for org managers. */
export function TerritorySection({ node, nodes, canManage }: TerritorySectionProps) {
  const { t } = useTranslation();
  const territories = useTerritories();
  const [editing, setEditing] = useState(false);

  const body = () => {
    if (territories.isPending) return <Spin size="small" />;
    if (territories.isError)
      return <ErrorAlert error={territories.error} onRetry={() => void territories.refetch()} />;
    const effective = effectiveTerritory(node, nodes, territories.data);
    if (!effective)
      return <Typography.Text type="secondary">{t('territories.unbound')}</Typography.Text>;
    const inherited = effective.nodeId !== node.id;
    return (
      <Flex vertical gap={8}>
        {inherited ? (
          <Typography.Text type="secondary" data-testid="territory-inherits">
            {t('territories.inherits', { name: effective.nodeName })}
          </Typography.Text>
        ) : null}
        <RegionTags territory={effective} inherited={inherited} />
      </Flex>
    );
  };

  return (
    <div data-testid="territory-section">
      <Divider titlePlacement="start" plain>
        {t('territories.title')}
      </Divider>
      <Flex justify="space-between" align="flex-start" gap={16}>
        <div data-testid="territory-summary" style={{ flex: 1 }}>
          {body()}
        </div>
        {canManage ? (
          <Button
            size="small"
            icon={<EditOutlined />}
            disabled={!territories.isSuccess}
            data-testid="territory-edit"
            onClick={() => {
              setEditing(true);
            }}
          >
            {t('territories.edit')}
          </Button>
        ) : null}
      </Flex>
      {editing && territories.isSuccess ? (
        <TerritoryDialog
          node={node}
          territory={territories.data.find((tr) => tr.nodeId === node.id)}
          onClose={() => {
            setEditing(false);
          }}
        />
      ) : null}
    </div>
  );
}
