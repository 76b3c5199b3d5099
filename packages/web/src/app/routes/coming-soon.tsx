import { Card, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';

type SalesModule = 'customers' | 'opportunities';

/** Placeholder for the sales modules until they ship. */
export function ComingSoonPage({ module }: { module: SalesModule }) {
  const { t } = useTranslation();
  const name = t(`nav.${module}`);
  return (
    <>
      <PageHeader title={name} />
      <Card>
        <Empty
          data-testid="coming-soon"
          style={{ paddingBlock: 48 }}
          description={
            <>
              <Typography.Title level={4}>
                {t('comingSoon.title', { module: name })}
              </Typography.Title>
              <Typography.Text type="secondary">{t('comingSoon.description')}</Typography.Text>
            </>
          }
        />
      </Card>
    </>
  );
}
