import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';
import { ImportWizard } from '../../features/imports/components/import-wizard.tsx';

export function ImportsPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('imports.title')} />
      <ImportWizard />
    </>
  );
}
