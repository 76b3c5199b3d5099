import type { TableColumnType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PoolEntity } from '@tide/contract';
import { useCan } from '../../../lib/session.ts';
import { usePoolStates } from '../api/pool-state.ts';
import { DropCountdownTag, ProtectedTag } from './pool-state-tags.tsx';

/** `drop`: owned records, when they fall back to the pool; `protect`: pool records, until when the caller may not claim them back. */
export type PoolStateMode = 'drop' | 'protect';

/** The pool-state column for the rows a list shows: a list given to the list's table. */
export type PoolStateColumns = <T extends { id: string }>(
  rows: readonly T[],
  mode: PoolStateMode,
) => TableColumnType<T>[];

interface PoolStateCellProps {
  entity: PoolEntity;
  /** Every row on screen: each cell asks with the same key, so the page makes one call. */
  ids: readonly string[];
  id: string;
  mode: PoolStateMode;
}

function PoolStateCell({ entity, ids, id, mode }: PoolStateCellProps) {
  const states = usePoolStates(entity, ids);
  const state = states.data?.get(id);
  return mode === 'drop' ? <DropCountdownTag state={state} /> : <ProtectedTag state={state} />;
}

/**
 * Builds a table column for the rows on screen, filled by one `/pool-state` call for the
 * page. While that call is on its way (or if it fails) the cells stay empty: the list
 * itself does not wait for it. Answered as a list of columns: none for a user without
 * `pool.view`, whom the API would refuse.
 */
export function usePoolStateColumns(entity: PoolEntity): PoolStateColumns {
  const { t } = useTranslation();
  const allowed = useCan('pool.view');
  return (rows, mode) => {
    if (!allowed) return [];
    const ids = rows.map((r) => r.id);
    return [
      {
        title: mode === 'drop' ? t('poolState.dropColumn') : t('poolState.protectColumn'),
        key: mode === 'drop' ? 'poolDrop' : 'poolProtect',
        render: (_v, row) => <PoolStateCell entity={entity} ids={ids} id={row.id} mode={mode} />,
      },
    ];
  };
}
