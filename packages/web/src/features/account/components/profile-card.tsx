import { Card, Descriptions, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Me } from '@tide/contract';
import { roleLabel } from '../../../lib/permissions.ts';

export function ProfileCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  return (
    <Card title={t('account.profile')}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('users.displayName')}>{me.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('users.username')}>{me.username}</Descriptions.Item>
        <Descriptions.Item label={t('dashboard.tenant')}>{me.tenantName}</Descriptions.Item>
        <Descriptions.Item label={t('users.node')}>{me.nodeName}</Descriptions.Item>
        <Descriptions.Item label={t('users.roles')}>
          <Space size={[0, 4]} wrap>
            {me.roles.map((role) => (
              <Tag key={role} color="blue">
                {roleLabel(t, role)}
              </Tag>
            ))}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t('users.email')}>{me.email ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('users.phone')}>{me.phone ?? '—'}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
