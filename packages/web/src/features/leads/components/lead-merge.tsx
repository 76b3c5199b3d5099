import { Flex, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mergeableLeadFields, type Lead } from '@tide/contract';
import { MergeComparison } from '../../../components/merge/merge-comparison.tsx';
import { MergeScreen, MergeSuggestions } from '../../../components/merge/merge-screen.tsx';
import { RecordSelect } from '../../../components/pickers/record-select.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useDuplicateCheck } from '../../../lib/duplicates.ts';
import { blankToNull } from '../../../lib/form-values.ts';
import { leadListQuery, useLead, useMergeLead } from '../api/leads.ts';
import { LeadStatusTag, leadName } from './lead-status.tsx';

type MergeableField = (typeof mergeableLeadFields)[number];

function leadPath(id: string): string {
  return `/leads/${encodeURIComponent(id)}`;
}

interface LeadMergeComparisonProps {
  survivor: Lead;
  other: Lead;
  onSwap: () => void;
  onMerged: (survivor: Lead) => void;
}

function LeadMergeComparison({ survivor, other, onSwap, onMerged }: LeadMergeComparisonProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const merge = useMergeLead();
  const names = {
    other: leadName(other) ?? t('leads.unnamed'),
    survivor: leadName(survivor) ?? t('leads.unnamed'),
  };
  return (
    <MergeComparison<Lead, MergeableField>
      survivor={survivor}
      other={other}
      fields={mergeableLeadFields}
      fieldLabel={(field) => t(`leads.fields.${field}`)}
      valueOf={(lead, field) => lead[field]}
      heading={(lead, side) => (
        <Flex align="center" gap={8} wrap>
          <Link to={leadPath(lead.id)} data-testid={`merge-${side}-name`}>
            {leadName(lead) ?? t('leads.unnamed')}
          </Link>
          <LeadStatusTag status={lead.status} />
          <Tag>{lead.ownerName ?? t('leads.noOwner')}</Tag>
        </Flex>
      )}
      onSwap={onSwap}
      pending={merge.isPending}
      submitLabel={t('leads.merge.submit')}
      confirmTitle={t('leads.merge.confirmTitle', names)}
      confirmContent={t('leads.merge.confirmContent', names)}
      onMerge={(takeFromOther) =>
        merge
          .mutateAsync({ id: survivor.id, body: { otherId: other.id, takeFromOther } })
          .then((merged) => {
            notify.success(t('leads.merge.done'));
            onMerged(merged);
          }, notify.error)
      }
    />
  );
}

function LeadMergeSuggestions({
  survivor,
  onChoose,
}: {
  survivor: Lead;
  onChoose: (id: string) => void;
}) {
  const { t } = useTranslation();
  // The same probe as the lead form: a lead without a company is a person.
  const check = useDuplicateCheck({
    type: 'lead',
    name: blankToNull(survivor.company ?? undefined) ?? survivor.contactName,
    phone: survivor.phone,
    address: survivor.address,
    excludeId: survivor.id,
  });
  const matches = (check.data ?? []).filter((m) => m.type === 'lead' && m.id !== survivor.id);
  return (
    <MergeSuggestions
      check={check}
      matches={matches}
      title={t('leads.merge.suggestions')}
      onChoose={onChoose}
    />
  );
}

interface LeadMergeProps {
  survivorId: string;
  otherId: string | undefined;
  onChooseOther: (id: string | undefined) => void;
  onSwap: () => void;
  onMerged: (survivor: Lead) => void;
}

/**
 * 线索合并: another lead is merged into the survivor. Its follow-ups and history move
 * over; the user chooses which value each differing field keeps, and which survives.
 */
export function LeadMerge({
  survivorId,
  otherId,
  onChooseOther,
  onSwap,
  onMerged,
}: LeadMergeProps) {
  const { t } = useTranslation();
  const survivor = useLead(survivorId);
  const other = useLead(otherId ?? '', otherId !== undefined);
  return (
    <MergeScreen<Lead>
      title={t('leads.merge.title')}
      back={<Link to={leadPath(survivorId)}>{t('leads.merge.back')}</Link>}
      intro={t('leads.merge.intro')}
      survivor={survivor}
      otherId={otherId}
      other={other}
      pickLabel={t('leads.merge.pickOther')}
      picker={(_survivor, otherData) => (
        <RecordSelect
          testId="merge-other-select"
          listQuery={leadListQuery}
          optionLabel={(l) =>
            `${leadName(l) ?? t('leads.unnamed')} (${l.ownerName ?? t('leads.noOwner')})`
          }
          value={otherId}
          onChange={onChooseOther}
          placeholder={t('leads.merge.pickPlaceholder')}
          excludeIds={[survivorId]}
          initialOption={
            otherData
              ? { value: otherData.id, label: leadName(otherData) ?? t('leads.unnamed') }
              : undefined
          }
        />
      )}
      pickFirst={t('leads.merge.pickFirst')}
      suggestions={(data) => <LeadMergeSuggestions survivor={data} onChoose={onChooseOther} />}
      comparison={(s, o) => (
        <LeadMergeComparison
          // A new pair starts from the default choices.
          key={`${s.id}:${o.id}`}
          survivor={s}
          other={o}
          onSwap={onSwap}
          onMerged={onMerged}
        />
      )}
    />
  );
}
