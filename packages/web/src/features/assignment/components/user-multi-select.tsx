import { useMemo } from 'react';
import { Select } from 'antd';
import { useQueries } from '@tanstack/react-query';
import type { User } from '@tide/contract';
import { api } from '../../../lib/api-client.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { useUserSearch } from '../../../components/pickers/user-select.tsx';

interface UserMultiSelectProps {
  value?: string[];
  onChange?: (value: string[]) => void;
  placeholder?: string;
  id?: string;
  testId?: string;
}

const userLabel = (u: User) => `${u.displayName} (${u.username})`;

/**
 * Several active colleagues, searched by username or name as you type. People chosen
 * under an earlier search (or saved on a rule) keep their names: those not in the current
 * results are read one by one.
 */
export function UserMultiSelect({
  value,
  onChange,
  placeholder,
  id,
  testId,
}: UserMultiSelectProps) {
  const { search, setSearch, users } = useUserSearch();
  const listed = users.data?.items;
  const chosen = value ?? [];
  const unlisted = chosen.filter((userId) => !listed?.some((u) => u.id === userId));
  const lookedUp = useQueries({
    queries: unlisted.map((userId) => ({
      queryKey: queryKeys.user(userId),
      queryFn: () => api.get<User>(`/users/${encodeURIComponent(userId)}`),
    })),
    combine: (results) => results.flatMap((r) => (r.data ? [r.data] : [])),
  });

  const options = useMemo(() => {
    const all = [...lookedUp, ...(listed ?? [])];
    const seen = new Set<string>();
    return all.flatMap((u) => {
      if (seen.has(u.id)) return [];
      seen.add(u.id);
      return [{ value: u.id, label: userLabel(u) }];
    });
  }, [listed, lookedUp]);

  return (
    <Select<string[]>
      mode="multiple"
      id={id}
      data-testid={testId}
      value={chosen}
      onChange={(next) => {
        onChange?.(next);
        setSearch('');
      }}
      options={options}
      loading={users.isFetching}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
      style={{ width: '100%' }}
    />
  );
}
