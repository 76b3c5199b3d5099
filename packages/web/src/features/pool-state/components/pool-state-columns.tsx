import type { TableColumnType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PoolEntity } from '@tide/contract';
import { useCan } from '../../../lib/session.ts';
import { usePoolStates } from '../api/pool-state.ts';
import { DropCountdownTag, ProtectedTag } from './pool-state-tags.tsx';

/** `drop`: owned records, when they fall back to the pool; `protect`: pool records, until when the caller may not claim them back. */
export type PoolStateMode = 'drop' | 'protect';

/**
 * A table column for the rows on screen, filled by one `/pool-state` call for the page.
 * While that call is on its way (or if it fails) the cells stay empty: the list itself
 * does not wait for it. Answered as a list of columns: none for a user without
 * `pool.view`, whom the API would refuse.
 */
export function usePoolStateColumns<T extends { id: string }>(
  entity: PoolEntity,
  rows: readonly T[],
  mode: PoolStateMode,
): TableColumnType<T>[] {
  const { t } = useTranslation();
  const allowed = useCan('pool.view');
  const states = usePoolStates(
    entity,
    rows.map((r) => r.id),
    allowed,
  );
  if (!allowed) return [];
  const column: TableColumnType<T> = {
    title: mode === 'drop' ? t('poolState.dropColumn') : t('poolState.protectColumn'),
    key: mode === 'drop' ? 'poolDrop' : 'poolProtect',
    render: (_v, row) => {
      const state = states.data?.get(row.id);
      return mode === 'drop' ? <DropCountdownTag state={state} /> : <ProtectedTag state={state} />;
    },
  };
  return [column];
}
