import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lead } from '@tide/contract';

type VerificationState = NonNullable<Lead['verification']>;

const colors: Record<VerificationState, string> = {
  pending: 'gold',
  verified: 'success',
  wrong_number: 'error',
  no_intention: 'default',
};

/** Where a lead stands with its verification call (待核实, 已核实…); nothing if it needs none. */
export function VerificationTag({
  lead,
}: {
  lead: Pick<Lead, 'verification' | 'verificationNote'>;
}) {
  const { t } = useTranslation();
  if (lead.verification === null) return null;
  const tag = (
    <Tag color={colors[lead.verification]} data-testid="lead-verification">
      {t(`verification.states.${lead.verification}`)}
    </Tag>
  );
  return lead.verificationNote ? <Tooltip title={lead.verificationNote}>{tag}</Tooltip> : tag;
}
