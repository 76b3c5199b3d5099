import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header.tsx';
import { VerificationQueue } from '../../features/verification/components/verification-queue.tsx';

export function VerificationPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('verification.title')} />
      <VerificationQueue />
    </>
  );
}
