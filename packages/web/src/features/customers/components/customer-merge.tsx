import { Flex, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { mergeableCustomerFields, type Customer } from '@tide/contract';
import { MergeComparison } from '../../../components/merge/merge-comparison.tsx';
import { MergeScreen, MergeSuggestions } from '../../../components/merge/merge-screen.tsx';
import { RecordSelect } from '../../../components/pickers/record-select.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useDuplicateCheck } from '../../../lib/duplicates.ts';
import { customerListQuery, useCustomer, useMergeCustomer } from '../api/customers.ts';

type MergeableField = (typeof mergeableCustomerFields)[number];

function customerPath(id: string): string {
  return `/customers/${encodeURIComponent(id)}`;
}

function fieldValue(t: TFunction, field: MergeableField, customer: Customer): string {
  const dash = '—';
  if (field === 'kind') return t(`customers.kinds.${customer.kind}`);
  if (field === 'valueTier')
    return customer.valueTier ? t(`customers.valueTiers.${customer.valueTier}`) : dash;
  const value = customer[field];
  return value === null || value.trim() === '' ? dash : value;
}

interface MergeComparisonProps {
  survivor: Customer;
  other: Customer;
  onSwap: () => void;
  onMerged: (survivor: Customer) => void;
}

function CustomerMergeComparison({ survivor, other, onSwap, onMerged }: MergeComparisonProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const merge = useMergeCustomer();
  return (
    <MergeComparison<Customer, MergeableField>
      survivor={survivor}
      other={other}
      fields={mergeableCustomerFields}
      fieldLabel={(field) => t(`customers.fields.${field}`)}
      valueOf={(customer, field) => customer[field]}
      display={(customer, field) => fieldValue(t, field, customer)}
      heading={(customer, side) => (
        <Flex align="center" gap={8} wrap>
          <Link to={customerPath(customer.id)} data-testid={`merge-${side}-name`}>
            {customer.name}
          </Link>
          <Tag>{customer.ownerName ?? t('customers.noOwner')}</Tag>
        </Flex>
      )}
      onSwap={onSwap}
      pending={merge.isPending}
      submitLabel={t('customers.merge.submit')}
      confirmTitle={t('customers.merge.confirmTitle', {
        other: other.name,
        survivor: survivor.name,
      })}
      confirmContent={t('customers.merge.confirmContent', {
        other: other.name,
        survivor: survivor.name,
      })}
      onMerge={(takeFromOther) =>
        merge
          .mutateAsync({ id: survivor.id, body: { otherId: other.id, takeFromOther } })
          .then((merged) => {
            notify.success(t('customers.merge.done'));
            onMerged(merged);
          }, notify.error)
      }
    />
  );
}

function CustomerMergeSuggestions({
  survivor,
  onChoose,
}: {
  survivor: Customer;
  onChoose: (id: string) => void;
}) {
  const { t } = useTranslation();
  const check = useDuplicateCheck({
    type: 'customer',
    name: survivor.name,
    phone: survivor.phone,
    creditCode: survivor.creditCode,
    address: survivor.address,
    excludeId: survivor.id,
  });
  const matches = (check.data ?? []).filter((m) => m.type === 'customer' && m.id !== survivor.id);
  return (
    <MergeSuggestions
      check={check}
      matches={matches}
      title={t('customers.merge.suggestions')}
      onChoose={onChoose}
    />
  );
}

interface CustomerMergeProps {
  survivorId: string;
  otherId: string | undefined;
  onChooseOther: (id: string | undefined) => void;
  onSwap: () => void;
  onMerged: (survivor: Customer) => void;
}

/**
 * 客户合并: another customer is merged into the survivor. Nothing of either is lost
 * (follow-ups, contacts, opportunities, history); the user chooses which value each
 * differing field keeps, and which of the two survives.
 */
export function CustomerMerge({
  survivorId,
  otherId,
  onChooseOther,
  onSwap,
  onMerged,
}: CustomerMergeProps) {
  const { t } = useTranslation();
  const survivor = useCustomer(survivorId);
  const other = useCustomer(otherId ?? '', otherId !== undefined);
  return (
    <MergeScreen<Customer>
      title={t('customers.merge.title')}
      back={<Link to={customerPath(survivorId)}>{t('customers.merge.back')}</Link>}
      intro={t('customers.merge.intro')}
      survivor={survivor}
      otherId={otherId}
      other={other}
      pickLabel={t('customers.merge.pickOther')}
      picker={(_survivor, otherData) => (
        <RecordSelect
          testId="merge-other-select"
          listQuery={customerListQuery}
          optionLabel={(c) => `${c.name} (${c.ownerName ?? t('customers.noOwner')})`}
          value={otherId}
          onChange={onChooseOther}
          placeholder={t('customers.merge.pickPlaceholder')}
          excludeIds={[survivorId]}
          initialOption={otherData ? { value: otherData.id, label: otherData.name } : undefined}
        />
      )}
      pickFirst={t('customers.merge.pickFirst')}
      suggestions={(data) => <CustomerMergeSuggestions survivor={data} onChoose={onChooseOther} />}
      comparison={(s, o) => (
        <CustomerMergeComparison
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
