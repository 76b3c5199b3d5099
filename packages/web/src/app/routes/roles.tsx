import { useState } from 'react';
import { Button, Card } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { Role } from '@tide/contract';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { RoleFormDialog } from '../../features/roles/components/role-form-dialog.tsx';
import { RolesTable } from '../../features/roles/components/roles-table.tsx';
import { useRoles } from '../../lib/reference-data.ts';

type Dialog = { kind: 'create' } | { kind: 'open'; role: Role };

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useRoles();
  const [dialog, setDialog] = useState<Dialog | null>(null);

  return (
    <>
      <PageHeader
        title={t('roles.title')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setDialog({ kind: 'create' });
            }}
            data-testid="role-create"
          >
            {t('roles.create')}
          </Button>
        }
      />
      <Card>
        {roles.isError ? (
          <ErrorAlert error={roles.error} onRetry={() => void roles.refetch()} />
        ) : (
          <RolesTable
            roles={roles.data ?? []}
            loading={roles.isFetching}
            onOpen={(role) => {
              setDialog({ kind: 'open', role });
            }}
          />
        )}
      </Card>
      {dialog ? (
        <RoleFormDialog
          {...(dialog.kind === 'open' ? { role: dialog.role } : {})}
          onClose={() => {
            setDialog(null);
          }}
        />
      ) : null}
    </>
  );
}
