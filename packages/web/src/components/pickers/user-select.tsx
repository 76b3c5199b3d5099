import { useMemo, useState } from 'react';
import { Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { fetchUsers } from '../../lib/reference-data.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { useDebouncedValue } from '../../lib/use-debounced-value.ts';

export interface UserOption {
  value: string;
  label: string;
}

interface UserSelectProps {
  value?: string | null;
  onChange?: (value: string | null) => void;
  placeholder?: string;
  /** Users who cannot be picked (the person being deactivated, for one). */
  excludeIds?: readonly string[];
  /** Label for the current value before the first search has loaded it. */
  initialOption?: UserOption;
  allowClear?: boolean;
  id?: string;
  testId?: string;
}

/**
 * The search behind the user pickers: what is typed, and the first 20 active colleagues
 * whose username or name match it (debounced; the last answer shows while the next loads).
 */
export function useUserSearch() {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  // People only: a service account owns nothing and takes no work.
  const params = { q, pageSize: 20, active: true, kind: 'person' as const, sort: 'displayName' };
  const users = useQuery({
    queryKey: queryKeys.userList({ picker: true, ...params }),
    queryFn: () => fetchUsers(params),
    placeholderData: (previous) => previous,
  });
  return { search, setSearch, users };
}

/** Searches active colleagues by username or name as you type. */
export function UserSelect({
  value,
  onChange,
  placeholder,
  excludeIds,
  initialOption,
  allowClear,
  id,
  testId,
}: UserSelectProps) {
  const { setSearch, users } = useUserSearch();

  const options = useMemo(() => {
    const list: UserOption[] = (users.data?.items ?? [])
      .filter((u) => !excludeIds?.includes(u.id))
      .map((u) => ({ value: u.id, label: `${u.displayName} (${u.username})` }));
    if (initialOption && !list.some((o) => o.value === initialOption.value))
      list.unshift(initialOption);
    return list;
  }, [users.data, excludeIds, initialOption]);

  return (
    <Select<string | undefined>
      id={id}
      data-testid={testId}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      options={options}
      loading={users.isFetching}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      style={{ width: '100%' }}
    />
  );
}
