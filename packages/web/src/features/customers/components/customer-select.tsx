import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../../lib/use-debounced-value.ts';
import { useCustomerList } from '../api/customers.ts';

export interface CustomerOption {
  value: string;
  label: string;
}

interface CustomerSelectProps {
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  /** Customers that cannot be picked (the one being merged into, for one). */
  excludeIds?: readonly string[];
  /** Label for the current value before the first search has loaded it. */
  initialOption?: CustomerOption | undefined;
  testId?: string;
}

/** Searches the customers the user may see by name, credit code or phone as they type. */
export function CustomerSelect({
  value,
  onChange,
  placeholder,
  excludeIds,
  initialOption,
  testId,
}: CustomerSelectProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const customers = useCustomerList({
    page: 1,
    pageSize: 20,
    sort: '-updatedAt',
    ...(q ? { q } : {}),
  });

  const options = useMemo(() => {
    const list: CustomerOption[] = (customers.data?.items ?? [])
      .filter((c) => !excludeIds?.includes(c.id))
      .map((c) => ({
        value: c.id,
        label: `${c.name} (${c.ownerName ?? t('customers.noOwner')})`,
      }));
    if (initialOption && !list.some((o) => o.value === initialOption.value))
      list.unshift(initialOption);
    return list;
  }, [customers.data, excludeIds, initialOption, t]);

  return (
    <Select<string | undefined>
      data-testid={testId}
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={customers.isFetching}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ width: '100%' }}
    />
  );
}
