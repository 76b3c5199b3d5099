import {
  Button,
  Empty,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableProps,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { builtinRoleNames, permissions as allPermissions, type Role } from '@tide/contract';
import { useNotify } from '../../../components/use-notify.ts';
import { permissionLabel, roleLabel } from '../../../lib/permissions.ts';
import { useDeleteRole } from '../api/roles.ts';

const shownPermissions = 8;

/** Built-in roles first, in the order the product describes them, then custom roles by key. */
function sortRoles(roles: readonly Role[]): Role[] {
  const rank = (role: Role) => {
    const index = (builtinRoleNames as readonly string[]).indexOf(role.name);
    return role.builtin && index >= 0 ? index : builtinRoleNames.length;
  };
  return [...roles].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

interface RolesTableProps {
  roles: Role[];
  loading: boolean;
  onOpen: (role: Role) => void;
}

function PermissionTags({ role }: { role: Role }) {
  const { t } = useTranslation();
  if (role.permissions.length >= allPermissions.length)
    return <Tag color="gold">{t('roles.allPermissions')}</Tag>;
  const visible = role.permissions.slice(0, shownPermissions);
  const hidden = role.permissions.slice(shownPermissions);
  return (
    <Space size={[0, 4]} wrap>
      {visible.map((p) => (
        <Tag key={p}>{permissionLabel(t, p)}</Tag>
      ))}
      {hidden.length > 0 ? (
        <Tooltip title={hidden.map((p) => permissionLabel(t, p)).join(' / ')}>
          <Tag>+{hidden.length}</Tag>
        </Tooltip>
      ) : null}
    </Space>
  );
}

export function RolesTable({ roles, loading, onOpen }: RolesTableProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const remove = useDeleteRole();

  const columns: TableProps<Role>['columns'] = [
    {
      title: t('roles.label'),
      key: 'label',
      width: 220,
      render: (_value, role) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{roleLabel(t, role.name, roles)}</Typography.Text>
          <Typography.Text type="secondary" code>
            {role.name}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('roles.type'),
      key: 'builtin',
      render: (_value, role) =>
        role.builtin ? (
          <Tag color="purple">{t('roles.builtin')}</Tag>
        ) : (
          <Tag color="cyan">{t('roles.custom')}</Tag>
        ),
    },
    {
      title: t('roles.permissions'),
      key: 'permissions',
      render: (_value, role) => (
        <Space orientation="vertical" size={4}>
          <Typography.Text type="secondary">
            {t('roles.permissionCount', { count: role.permissions.length })}
          </Typography.Text>
          <PermissionTags role={role} />
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 160,
      render: (_value, role) =>
        role.builtin ? (
          <Button
            type="link"
            size="small"
            onClick={() => {
              onOpen(role);
            }}
          >
            {t('roles.view')}
          </Button>
        ) : (
          <Space size={0}>
            <Button
              type="link"
              size="small"
              onClick={() => {
                onOpen(role);
              }}
            >
              {t('common.edit')}
            </Button>
            <Popconfirm
              title={t('roles.deleteConfirm', { name: roleLabel(t, role.name, roles) })}
              description={t('roles.deleteHint')}
              okText={t('common.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() => {
                remove.mutate(role.name, {
                  onSuccess: () => {
                    notify.success(t('roles.deleted'));
                  },
                  onError: (err) => {
                    notify.error(err);
                  },
                });
              }}
            >
              <Button type="link" size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <Table<Role>
      rowKey="name"
      columns={columns}
      dataSource={sortRoles(roles)}
      loading={loading}
      pagination={false}
      data-testid="roles-table"
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.noData')} />,
      }}
    />
  );
}
