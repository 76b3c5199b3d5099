import { useState, type ReactNode } from 'react';
import { Button, Card, Descriptions, Popconfirm, Space, Tooltip, Typography } from 'antd';
import {
  DeleteOutlined,
  DragOutlined,
  EditOutlined,
  PlusOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgNode } from '@tide/contract';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useUser } from '../../../lib/reference-data.ts';
import { useDeleteNode } from '../api/org.ts';
import {
  AddChildDialog,
  ManagerDialog,
  MoveDialog,
  RenameDialog,
  type NodeDialog,
} from './node-dialogs.tsx';
import { nodePath } from './tree-utils.ts';

interface NodeDetailsProps {
  node: OrgNode;
  nodes: readonly OrgNode[];
  canManage: boolean;
  canViewUsers: boolean;
  onSelect: (id: string) => void;
  /** Shown under the node's facts: the territory section, from the territories feature. */
  children?: ReactNode;
}

export function NodeDetails({
  node,
  nodes,
  canManage,
  canViewUsers,
  onSelect,
  children,
}: NodeDetailsProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [dialog, setDialog] = useState<NodeDialog | null>(null);
  const remove = useDeleteNode();
  const manager = useUser(canViewUsers ? node.managerId : null);
  const path = nodePath(nodes, node.id);
  const parent = node.parentId ? nodes.find((n) => n.id === node.parentId) : undefined;
  const isRoot = node.parentId === null;
  const managerLabel = manager.data
    ? `${manager.data.displayName} (${manager.data.username})`
    : undefined;

  const close = () => {
    setDialog(null);
  };
  const done = (changed: OrgNode) => {
    setDialog(null);
    onSelect(changed.id);
  };

  const actions = canManage ? (
    <Space wrap size={4}>
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          setDialog('addChild');
        }}
        data-testid="org-add-child"
      >
        {t('org.addChild')}
      </Button>
      <Button
        size="small"
        icon={<EditOutlined />}
        onClick={() => {
          setDialog('rename');
        }}
        data-testid="org-rename"
      >
        {t('org.rename')}
      </Button>
      <Button
        size="small"
        icon={<DragOutlined />}
        disabled={isRoot}
        onClick={() => {
          setDialog('move');
        }}
        data-testid="org-move"
      >
        {t('org.move')}
      </Button>
      <Button
        size="small"
        icon={<UserSwitchOutlined />}
        onClick={() => {
          setDialog('manager');
        }}
        data-testid="org-set-manager"
      >
        {t('org.setManager')}
      </Button>
      <Popconfirm
        title={t('org.deleteConfirm', { name: node.name })}
        description={t('org.deleteHint')}
        okText={t('common.delete')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        disabled={isRoot}
        onConfirm={() => {
          remove.mutate(node.id, {
            onSuccess: () => {
              notify.success(t('org.deleted'));
              if (node.parentId) onSelect(node.parentId);
            },
            onError: (err) => {
              notify.error(err);
            },
          });
        }}
      >
        <Tooltip title={isRoot ? undefined : t('org.deleteHint')}>
          <Button
            size="small"
            danger
            icon={<DeleteOutlined />}
            disabled={isRoot}
            data-testid="org-delete"
          >
            {t('org.delete')}
          </Button>
        </Tooltip>
      </Popconfirm>
    </Space>
  ) : null;

  return (
    <Card title={t('org.details')} extra={actions} data-testid="org-node-details">
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('org.name')}>
          <Typography.Text strong>{node.name}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('org.parent')}>
          {parent?.name ?? t('org.root')}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.path')}>
          {path.map((n) => n.name).join(' / ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.manager')}>
          {node.managerId ? (
            (managerLabel ?? '…')
          ) : (
            <Typography.Text type="secondary">{t('org.noManager')}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('org.userCount')}>{node.userCount}</Descriptions.Item>
        <Descriptions.Item label={t('common.createdAt')}>
          {formatDateTime(node.createdAt)}
        </Descriptions.Item>
      </Descriptions>
      {children}
      {dialog === 'addChild' ? <AddChildDialog node={node} onClose={close} onDone={done} /> : null}
      {dialog === 'rename' ? <RenameDialog node={node} onClose={close} onDone={done} /> : null}
      {dialog === 'move' ? <MoveDialog node={node} onClose={close} onDone={done} /> : null}
      {dialog === 'manager' ? (
        <ManagerDialog node={node} managerLabel={managerLabel} onClose={close} onDone={done} />
      ) : null}
    </Card>
  );
}
