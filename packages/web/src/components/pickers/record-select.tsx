import { useState } from 'react';
import { Select } from 'antd';
import { useQuery, type QueryKey, type UseQueryOptions } from '@tanstack/react-query';
import type { Page } from '@tide/contract';
import { useDebouncedValue } from '../../lib/use-debounced-value.ts';

export interface RecordOption {
  value: string;
  label: string;
}

/** What a picker asks of a list endpoint: the first page of matches, latest first. */
export interface RecordSearch {
  page: number;
  pageSize: number;
  sort: string;
  q?: string;
}

interface RecordSelectProps<T extends { id: string }, K extends QueryKey> {
  /** The list query of the records' domain, e.g. the customers or the leads. */
  listQuery: (search: RecordSearch) => UseQueryOptions<Page<T>, Error, Page<T>, K>;
  /** How a record reads among the options. */
  optionLabel: (record: T) => string;
  value?: string | undefined;
  onChange?: (value: string | undefined) => void;
  placeholder?: string;
  /** Records that cannot be picked (the one being merged into, for one). */
  excludeIds?: readonly string[];
  /** Label for the current value before the first search has loaded it. */
  initialOption?: RecordOption | undefined;
  testId?: string;
}

/**
 * Searches the records the user may see as they type, with the list endpoint's own
 * search (name, phone…), so it finds what the list page would.
 */
export function RecordSelect<T extends { id: string }, K extends QueryKey>({
  listQuery,
  optionLabel,
  value,
  onChange,
  placeholder,
  excludeIds,
  initialOption,
  testId,
}: RecordSelectProps<T, K>) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const records = useQuery(
    listQuery({ page: 1, pageSize: 20, sort: '-updatedAt', ...(q ? { q } : {}) }),
  );

  const options: RecordOption[] = (records.data?.items ?? [])
    .filter((r) => !excludeIds?.includes(r.id))
    .map((r) => ({ value: r.id, label: optionLabel(r) }));
  if (initialOption && !options.some((o) => o.value === initialOption.value))
    options.unshift(initialOption);

  return (
    <Select<string | undefined>
      data-testid={testId}
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={records.isFetching}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ width: '100%' }}
    />
  );
}
