import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CapacityLimit } from '@tide/contract';
import { roleLabel } from '../../../lib/permissions.ts';
import { useRoles } from '../../../lib/reference-data.ts';

/** Whom a limit applies to: everyone, a role (by its label), a team or a person. */
export function CapacityTarget({ limit }: { limit: CapacityLimit }) {
  const { t } = useTranslation();
  const roles = useRoles(limit.scope === 'role');
  if (limit.scope === 'tenant')
    return <Typography.Text type="secondary">{t('pools.capacity.everyone')}</Typography.Text>;
  if (limit.scope === 'role' && limit.roleName !== null)
    return <>{roleLabel(t, limit.roleName, roles.data)}</>;
  return <>{limit.targetName ?? '—'}</>;
}
