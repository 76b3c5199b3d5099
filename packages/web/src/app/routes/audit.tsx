import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { useAuditList, type AuditFilters } from '../../features/audit/api/audit.ts';
import {
  AuditFilterBar,
  type AuditFilterValues,
} from '../../features/audit/components/audit-filter-bar.tsx';
import { AuditTable } from '../../features/audit/components/audit-table.tsx';

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Filters live in the URL so other pages can link to one record's history. */
export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const entity = params.get('entity') ?? undefined;
  const entityId = params.get('entityId') ?? undefined;
  const filters: AuditFilters = {
    ...(entity ? { entity } : {}),
    ...(entityId ? { entityId } : {}),
    page: positiveInt(params.get('page'), 1),
    pageSize: Math.min(positiveInt(params.get('pageSize'), 20), 200),
  };
  const audit = useAuditList(filters);

  const setFilters = (next: AuditFilterValues & { page?: number; pageSize?: number }) => {
    const search = new URLSearchParams();
    if (next.entity) search.set('entity', next.entity);
    if (next.entityId) search.set('entityId', next.entityId);
    if (next.page && next.page > 1) search.set('page', String(next.page));
    if (next.pageSize && next.pageSize !== 20) search.set('pageSize', String(next.pageSize));
    setParams(search);
  };

  return (
    <>
      <PageHeader title={t('audit.title')} />
      <Card>
        {/* Keyed by the filters so links that change the URL also refill the form. */}
        <AuditFilterBar
          key={`${entity ?? ''}|${entityId ?? ''}`}
          value={{ ...(entity ? { entity } : {}), ...(entityId ? { entityId } : {}) }}
          onChange={(value) => {
            setFilters(value);
          }}
        />
        {audit.isError ? (
          <ErrorAlert error={audit.error} onRetry={() => void audit.refetch()} />
        ) : (
          <AuditTable
            entries={audit.data?.items ?? []}
            total={audit.data?.total ?? 0}
            page={filters.page}
            pageSize={filters.pageSize}
            loading={audit.isFetching}
            onPageChange={(page, pageSize) => {
              setFilters({
                ...(entity ? { entity } : {}),
                ...(entityId ? { entityId } : {}),
                page: pageSize === filters.pageSize ? page : 1,
                pageSize,
              });
            }}
            onFilterEntity={(nextEntity, nextId) => {
              setFilters({ entity: nextEntity, entityId: nextId });
            }}
          />
        )}
      </Card>
    </>
  );
}
