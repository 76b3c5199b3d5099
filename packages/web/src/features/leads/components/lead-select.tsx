import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useLeadList } from '../api/leads.ts';
import { leadName } from './lead-status.tsx';

export interface LeadOption {
  value: string;
  label: string;
}

interface LeadSelectProps {
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  /** Leads that cannot be picked (the one being merged into, for one). */
  excludeIds?: readonly string[];
  /** Label for the current value before the first search has loaded it. */
  initialOption?: LeadOption | undefined;
  testId?: string;
}

/** Searches the leads the user may see by company, contact or phone as they type. */
export function LeadSelect({
  value,
  onChange,
  placeholder,
  excludeIds,
  initialOption,
  testId,
}: LeadSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const leads = useLeadList({
    page: 1,
    pageSize: 20,
    sort: '-updatedAt',
    ...(q ? { q } : {}),
  });

  const options = useMemo(() => {
    const list: LeadOption[] = (leads.data?.items ?? [])
      .filter((l) => !excludeIds?.includes(l.id))
      .map((l) => ({
        value: l.id,
        label: `${leadName(l) ?? t('leads.unnamed')} (${l.ownerName ?? t('leads.noOwner')})`,
      }));
    if (initialOption && !list.some((o) => o.value === initialOption.value))
      list.unshift(initialOption);
    return list;
  }, [leads.data, excludeIds, initialOption, t]);

  return (
    <Select<string | undefined>
      data-testid={testId}
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={leads.isFetching}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ width: '100%' }}
    />
  );
}
