import { Card, Col, Descriptions, Flex, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { roleLabel } from '../../lib/permissions.ts';
import { useMe } from '../../lib/session.ts';
import { useNavItems } from '../layout/nav-items.tsx';

export function DashboardPage() {
  const { t } = useTranslation();
  const me = useMe();
  const shortcuts = useNavItems().filter((item) => item.path !== '/');

  return (
    <>
      <PageHeader title={t('nav.dashboard')} />
      <Card data-testid="dashboard-welcome">
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('dashboard.welcome', { name: me.displayName })}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('dashboard.intro')}</Typography.Paragraph>
        <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
          <Descriptions.Item label={t('dashboard.username')}>{me.username}</Descriptions.Item>
          <Descriptions.Item label={t('dashboard.tenant')}>{me.tenantName}</Descriptions.Item>
          <Descriptions.Item label={t('dashboard.node')}>{me.nodeName}</Descriptions.Item>
          <Descriptions.Item label={t('dashboard.roles')}>
            <Space size={[0, 4]} wrap>
              {me.roles.map((role) => (
                <Tag key={role} color="blue">
                  {roleLabel(t, role)}
                </Tag>
              ))}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('dashboard.permissions')}>
            {me.permissions.length}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('dashboard.shortcuts')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {shortcuts.map((item) => (
          <Col key={item.path} xs={12} md={8} xl={6}>
            <Link to={item.path}>
              <Card hoverable size="small">
                <Flex align="center" gap={12}>
                  <span style={{ fontSize: 20, color: '#1668dc' }}>{item.icon}</span>
                  <Typography.Text>{item.label}</Typography.Text>
                </Flex>
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}
