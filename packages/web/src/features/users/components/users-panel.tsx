import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Dropdown,
  Empty,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type MenuProps,
  type TableProps,
} from 'antd';
import { ApiOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { User } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { RoleSelect } from '../../../components/pickers/role-select.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { roleLabel } from '../../../lib/permissions.ts';
import { useRoles, useUserList, type UserListParams } from '../../../lib/reference-data.ts';
import { useActivateUser } from '../api/users.ts';
import { DeactivateDialog } from './deactivate-dialog.tsx';
import { ResetPasswordDialog } from './reset-password-dialog.tsx';
import { ServiceAccountDialog } from './service-account-dialog.tsx';
import { ServiceTokensDialog } from './service-tokens-dialog.tsx';
import { UserFormDialog } from './user-form-dialog.tsx';

type StatusFilter = 'all' | 'active' | 'inactive';
type SortField = 'username' | 'displayName' | 'createdAt';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; user: User }
  | { kind: 'reset'; user: User }
  | { kind: 'deactivate'; user: User }
  | { kind: 'createService' }
  | { kind: 'editService'; user: User }
  | { kind: 'tokens'; user: User };

interface UsersPanelProps {
  nodeId: string;
  nodeName: string;
  currentUserId: string;
  canManage: boolean;
  canViewAudit: boolean;
}

function isSortField(value: unknown): value is SortField {
  return value === 'username' || value === 'displayName' || value === 'createdAt';
}

/** The members of one team, with the admin actions on them. */
export function UsersPanel({
  nodeId,
  nodeName,
  currentUserId,
  canManage,
  canViewAudit,
}: UsersPanelProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const { modal } = App.useApp();
  const roles = useRoles();
  const activate = useActivateUser();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [q, setQ] = useState('');
  const [roleFilter, setRoleFilter] = useState<string[]>([]);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [sort, setSort] = useState<string | undefined>(undefined);
  const [dialog, setDialog] = useState<Dialog | null>(null);

  const params: UserListParams = {
    page,
    pageSize,
    nodeId,
    ...(q ? { q } : {}),
    ...(roleFilter.length > 0 ? { role: roleFilter } : {}),
    ...(status === 'all' ? {} : { active: status === 'active' }),
    ...(sort ? { sort } : {}),
  };
  const users = useUserList(params);

  const columns: TableProps<User>['columns'] = [
    {
      title: t('users.displayName'),
      dataIndex: 'displayName',
      key: 'displayName',
      sorter: true,
      render: (_value, user) => (
        <Space size={4}>
          <Typography.Text strong>{user.displayName}</Typography.Text>
          {user.id === currentUserId ? <Tag>{t('users.you')}</Tag> : null}
          {user.kind === 'service' ? (
            <Tag color="purple" icon={<ApiOutlined />}>
              {t('users.serviceAccount')}
            </Tag>
          ) : null}
        </Space>
      ),
    },
    { title: t('users.username'), dataIndex: 'username', key: 'username', sorter: true },
    {
      title: t('users.roles'),
      dataIndex: 'roles',
      key: 'roles',
      render: (_value, user) => (
        <Space size={[0, 4]} wrap>
          {user.kind === 'service' ? (
            <Typography.Text type="secondary">
              {t('users.permissionCount', { count: user.permissions.length })}
            </Typography.Text>
          ) : null}
          {user.roles.map((role) => (
            <Tag key={role} color="blue">
              {roleLabel(t, role, roles.data)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('users.node'), dataIndex: 'nodeName', key: 'nodeName', responsive: ['xl'] },
    {
      title: t('users.email'),
      dataIndex: 'email',
      key: 'email',
      responsive: ['xxl'],
      render: (_value, user) => user.email ?? '—',
    },
    {
      title: t('users.phone'),
      dataIndex: 'phone',
      key: 'phone',
      responsive: ['lg'],
      render: (_value, user) => user.phone ?? '—',
    },
    {
      title: t('users.status'),
      dataIndex: 'active',
      key: 'active',
      render: (_value, user) =>
        user.active ? (
          <Tag color="green">{t('users.active')}</Tag>
        ) : (
          <Tag>{t('users.inactive')}</Tag>
        ),
    },
  ];

  const confirmActivate = (user: User) => {
    modal.confirm({
      title: t('users.activateConfirm', { name: user.displayName }),
      okText: t('users.activate'),
      cancelText: t('common.cancel'),
      onOk: () =>
        activate.mutateAsync(user.id).then(
          () => {
            notify.success(t('users.activated'));
          },
          (err: unknown) => {
            notify.error(err);
          },
        ),
    });
  };

  const moreItems = (user: User): MenuProps['items'] => [
    ...(canManage
      ? [
          // A service account has no password: its tokens are what an admin manages.
          user.kind === 'service'
            ? {
                key: 'tokens',
                label: t('users.manageTokens'),
                disabled: !user.active,
                onClick: () => {
                  setDialog({ kind: 'tokens', user });
                },
              }
            : {
                key: 'reset',
                label: t('users.resetPassword'),
                onClick: () => {
                  setDialog({ kind: 'reset', user });
                },
              },
          user.active
            ? {
                key: 'deactivate',
                label: t('users.deactivate'),
                danger: true,
                // Deactivating oneself would lock the admin out mid-session; the server refuses it too.
                disabled: user.id === currentUserId,
                onClick: () => {
                  setDialog({ kind: 'deactivate', user });
                },
              }
            : {
                key: 'activate',
                label: t('users.activate'),
                onClick: () => {
                  confirmActivate(user);
                },
              },
        ]
      : []),
    ...(canViewAudit
      ? [
          {
            key: 'audit',
            label: (
              <Link to={`/audit?entityId=${encodeURIComponent(user.id)}`}>{t('nav.audit')}</Link>
            ),
          },
        ]
      : []),
  ];

  if (canManage || canViewAudit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_value, user) => (
        <Space size={0}>
          {canManage ? (
            <Button
              type="link"
              size="small"
              onClick={() => {
                setDialog(
                  user.kind === 'service' ? { kind: 'editService', user } : { kind: 'edit', user },
                );
              }}
            >
              {t('common.edit')}
            </Button>
          ) : null}
          <Dropdown menu={{ items: moreItems(user) }} trigger={['click']}>
            <Button
              type="link"
              size="small"
              icon={<MoreOutlined />}
              aria-label={t('common.more')}
              data-testid={`user-more-${user.username}`}
            />
          </Dropdown>
        </Space>
      ),
    });
  }

  const onTableChange: TableProps<User>['onChange'] = (pagination, _filters, sorter) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = one?.columnKey;
    if (one?.order && isSortField(field)) setSort(`${one.order === 'descend' ? '-' : ''}${field}`);
    else setSort(undefined);
    if (pagination.pageSize !== undefined && pagination.pageSize !== pageSize) {
      setPageSize(pagination.pageSize);
      setPage(1);
    } else {
      setPage(pagination.current ?? 1);
    }
  };

  return (
    <Card
      title={t('org.usersOf', { name: nodeName })}
      extra={
        canManage ? (
          <Space>
            <Button
              icon={<ApiOutlined />}
              onClick={() => {
                setDialog({ kind: 'createService' });
              }}
              data-testid="service-account-create"
            >
              {t('users.createServiceAccount')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setDialog({ kind: 'create' });
              }}
              data-testid="user-create"
            >
              {t('users.create')}
            </Button>
          </Space>
        ) : null
      }
      data-testid="org-users"
    >
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          onSearch={(value) => {
            setQ(value.trim());
            setPage(1);
          }}
          style={{ width: 240 }}
          data-testid="user-search"
        />
        <RoleSelect
          allowClear
          placeholder={t('users.roleFilter')}
          value={roleFilter}
          onChange={(value) => {
            setRoleFilter(value);
            setPage(1);
          }}
          style={{ minWidth: 200 }}
        />
        <Select<StatusFilter>
          aria-label={t('users.statusFilter')}
          value={status}
          onChange={(value) => {
            setStatus(value);
            setPage(1);
          }}
          options={[
            { value: 'all', label: `${t('users.statusFilter')}: ${t('common.all')}` },
            { value: 'active', label: t('users.active') },
            { value: 'inactive', label: t('users.inactive') },
          ]}
          style={{ width: 180 }}
        />
      </Flex>
      {users.isError ? (
        <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Table<User>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={users.data?.items ?? []}
          loading={users.isFetching}
          onChange={onTableChange}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: users.isPending ? (
              ' '
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('users.empty')} />
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: users.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.total', { total }),
          }}
        />
      )}
      {dialog?.kind === 'create' ? (
        <UserFormDialog
          defaultNodeId={nodeId}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'edit' ? (
        <UserFormDialog
          user={dialog.user}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'reset' ? (
        <ResetPasswordDialog
          user={dialog.user}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'createService' ? (
        <ServiceAccountDialog
          defaultNodeId={nodeId}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'editService' ? (
        <ServiceAccountDialog
          account={dialog.user}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'tokens' ? (
        <ServiceTokensDialog
          account={dialog.user}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
      {dialog?.kind === 'deactivate' ? (
        <DeactivateDialog
          user={dialog.user}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
    </Card>
  );
}
