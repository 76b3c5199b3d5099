import { useState } from 'react';
import { Cascader } from 'antd';
import { useQueries } from '@tanstack/react-query';
import type { Region } from '@tide/contract';
import { isCityCode, isProvinceCode, parentsToLoad } from '../../lib/region-codes.ts';
import { regionsQuery } from '../../lib/reference-data.ts';

interface RegionOption {
  value: string;
  label: string;
  isLeaf: boolean;
  loading?: boolean;
  children?: RegionOption[];
}

/** A district has no divisions under it; a city may have none either (东莞市). */
function mayHaveChildren(code: string): boolean {
  return isProvinceCode(code) || isCityCode(code);
}

function toOptions(
  regions: readonly Region[],
  lists: ReadonlyMap<string, readonly Region[]>,
  pending: ReadonlySet<string>,
): RegionOption[] {
  return regions.map((r) => {
    const loaded = mayHaveChildren(r.code) ? lists.get(r.code) : [];
    const children = loaded?.length ? toOptions(loaded, lists, pending) : undefined;
    return {
      value: r.code,
      label: r.name,
      // Unloaded: not a leaf yet, so opening it asks for its children.
      isLeaf: loaded?.length === 0,
      ...(pending.has(r.code) ? { loading: true } : {}),
      ...(children ? { children } : {}),
    };
  });
}

interface RegionPickerProps {
  /** Each chosen division as its path of codes: province, then city, then district. */
  value: string[][];
  onChange: (value: string[][]) => void;
  placeholder?: string;
  disabled?: boolean;
}

/**
 * Province → city → district, several at once. Each level is fetched when it is first
 * opened; choosing a province (or a city) takes everything under it, so a team bound
 * to 浙江省 need not list its cities. The levels above the chosen divisions are loaded
 * up front so they show their names.
 */
export function RegionPicker({ value, onChange, placeholder, disabled }: RegionPickerProps) {
  const [opened, setOpened] = useState<string[]>([]);
  const parents = [
    ...new Set([...parentsToLoad(value.flatMap((path) => path.slice(-1))), ...opened]),
  ];
  const lists = useQueries({
    queries: parents.map((parent) => regionsQuery(parent)),
    combine: (results) =>
      results.map((r, i) => ({ parent: parents[i], data: r.data, pending: r.isPending })),
  });
  const loaded = new Map<string, readonly Region[]>();
  const pending = new Set<string>();
  for (const list of lists) {
    if (list.data) loaded.set(list.parent ?? '', list.data);
    else if (list.pending && list.parent !== undefined) pending.add(list.parent);
  }
  const provinces = loaded.get('');
  const options = provinces ? toOptions(provinces, loaded, pending) : [];

  return (
    <Cascader<RegionOption, 'value'>
      multiple
      options={options}
      value={value}
      onChange={(next) => {
        onChange(next.map((path) => path.map(String)));
      }}
      loadData={(selected) => {
        const code = selected[selected.length - 1]?.value;
        if (code !== undefined) setOpened((prev) => (prev.includes(code) ? prev : [...prev, code]));
      }}
      showCheckedStrategy={Cascader.SHOW_PARENT}
      // Each choice reads in full, as the bound regions do on the org page: 浙江省杭州市.
      displayRender={(labels) => labels.join('')}
      placeholder={placeholder}
      disabled={disabled}
      loading={provinces === undefined}
      maxTagCount="responsive"
      style={{ width: '100%' }}
      data-testid="territory-picker"
    />
  );
}
