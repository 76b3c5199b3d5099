import { useTranslation } from 'react-i18next';
import { FollowUpForm as RecordFollowUpForm } from '../../../components/follow-up-form.tsx';
import { useAddLeadFollowUp } from '../api/leads.ts';

/** Logs a call, visit or message; a pending or invalid lead becomes "following". */
export function FollowUpForm({ leadId }: { leadId: string }) {
  const { t } = useTranslation();
  const add = useAddLeadFollowUp();
  return (
    <RecordFollowUpForm
      title={t('leads.followUpTitle')}
      pending={add.isPending}
      onSubmit={(body) => add.mutateAsync({ id: leadId, body })}
    />
  );
}
