import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useAgenda } from '../../features/agenda/api/agenda.ts';
import { AgendaTable } from '../../features/agenda/components/agenda-table.tsx';

export function AgendaPage() {
  const { t } = useTranslation();
  const agenda = useAgenda();
  return (
    <>
      <PageHeader title={t('agenda.title')} />
      <Card>
        <Typography.Paragraph type="secondary">{t('agenda.intro')}</Typography.Paragraph>
        {agenda.isError ? (
          <ErrorAlert error={agenda.error} onRetry={() => void agenda.refetch()} />
        ) : (
          <AgendaTable items={agenda.data ?? []} loading={agenda.isFetching} />
        )}
      </Card>
    </>
  );
}
