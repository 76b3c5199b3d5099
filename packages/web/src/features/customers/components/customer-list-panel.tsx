import { useState, type ReactNode } from 'react';
import { Button, Card, Flex, Input, Select, Space, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { customerKinds, type BatchResult, type CustomerKind } from '@tide/contract';
import { BatchResultDialog } from '../../../components/batch-result-dialog.tsx';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { ExportButton } from '../../../components/export-button.tsx';
import { ImportLink } from '../../../components/import-link.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { useCan, useMe } from '../../../lib/session.ts';
import {
  claimCustomer,
  customerFilterQuery,
  useClaimCustomer,
  useCustomerList,
  useInvalidateCustomers,
  type CustomerListParams,
} from '../api/customers.ts';
import { CustomerFormDialog } from './customer-form-dialog.tsx';
import { CustomerTable, type CustomerPoolStateColumns } from './customer-table.tsx';

type Scope = 'mine' | 'public' | 'team';

interface BatchOutcome {
  result: BatchResult;
  names: ReadonlyMap<string, string>;
}

/** The rows a distribution was opened for, kept while its result is shown. */
interface Distributing {
  ids: string[];
  names: ReadonlyMap<string, string>;
}

/** What the page's distribute dialog is opened with. */
export interface CustomerDistribution extends Distributing {
  /** The customers have been shared out (some may have stayed): clear the selection. */
  onDistributed: () => void;
  onClose: () => void;
}

interface CustomerListPanelProps {
  /** The caller's standing against their capacity, shown above the list to those who claim. */
  capacity?: ReactNode;
  /** The pool-state column (time to drop, or protection on the public tab). */
  poolStateColumns?: CustomerPoolStateColumns;
  /** The dialog sharing public customers out among reps; without it, no 分配 button. */
  renderDistribute?: (distribution: CustomerDistribution) => ReactNode;
}

function toBatchEntry(id: string, err: unknown): BatchResult['results'][number] {
  if (isApiError(err))
    return { id, ok: false, error: { code: err.code, message: err.message, details: err.details } };
  return { id, ok: false, error: { code: 'INTERNAL', message: String(err) } };
}

/** 客户: my customers, the public pool (公海) and, for managers, the team's customers. */
export function CustomerListPanel({
  capacity,
  poolStateColumns,
  renderDistribute,
}: CustomerListPanelProps) {
  const { t } = useTranslation();
  const me = useMe();
  const notify = useNotify();
  const navigate = useNavigate();
  const canCreate = useCan('customer.create');
  const canClaim = useCan('customer.claim');
  const canTransfer = useCan('customer.transfer');
  const [scope, setScope] = useState<Scope>('mine');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [sort, setSort] = useState<string | undefined>('-updatedAt');
  const [q, setQ] = useState('');
  const [kind, setKind] = useState<CustomerKind | undefined>(undefined);
  const [sources, setSources] = useState<string[]>([]);
  const [tag, setTag] = useState('');
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const [claiming, setClaiming] = useState(false);
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null);
  const [distributing, setDistributing] = useState<Distributing | null>(null);
  const claim = useClaimCustomer();
  const invalidate = useInvalidateCustomers();

  const params: CustomerListParams = {
    page,
    pageSize,
    poolState: scope === 'public' ? 'public' : 'private',
    ...(scope === 'mine' ? { ownerId: [me.id] } : {}),
    ...(sort ? { sort } : {}),
    ...(q ? { q } : {}),
    ...(kind ? { kind } : {}),
    ...(sources.length > 0 ? { source: sources } : {}),
    ...(tag ? { tag } : {}),
  };
  const customers = useCustomerList(params);
  const items = customers.data?.items ?? [];
  const publicTab = scope === 'public';
  // Reps claim from the public pool; managers (who may transfer) share it out.
  const canSelect = publicTab && (canClaim || canTransfer);

  const resetPage = () => {
    setPage(1);
    setSelected([]);
  };

  // The API claims one customer per call; each succeeds or fails on its own and the
  // dialog shows which (a colleague may have been quicker).
  const claimSelected = async () => {
    const names = new Map(items.map((c) => [c.id, c.name]));
    const ids = [...selected];
    setClaiming(true);
    const results: BatchResult['results'] = [];
    for (const id of ids) {
      try {
        await claimCustomer(id);
        results.push({ id, ok: true });
      } catch (err) {
        results.push(toBatchEntry(id, err));
      }
    }
    setClaiming(false);
    setSelected([]);
    setOutcome({ result: { results }, names });
    await invalidate();
  };

  const scopes: { key: Scope; label: string }[] = [
    { key: 'mine', label: t('customers.tabs.mine') },
    { key: 'public', label: t('customers.tabs.public') },
    ...(canTransfer ? [{ key: 'team' as const, label: t('customers.tabs.team') }] : []),
  ];

  return (
    <>
      <PageHeader
        title={t('customers.title')}
        extra={
          <Space>
            <ImportLink type="customers" testId="customers-import" />
            <ExportButton
              path="/customers/export"
              query={customerFilterQuery(params)}
              testId="customers-export"
            />
            {canCreate ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                data-testid="customer-create"
                onClick={() => {
                  setCreating(true);
                }}
              >
                {t('customers.create')}
              </Button>
            ) : null}
          </Space>
        }
      />
      <Card>
        <Tabs
          activeKey={scope}
          data-testid="customer-tabs"
          onChange={(key) => {
            const next = scopes.find((s) => s.key === key);
            if (next) {
              setScope(next.key);
              resetPage();
            }
          }}
          items={scopes.map((s) => ({ key: s.key, label: s.label }))}
        />
        {canClaim && capacity ? <div style={{ marginBottom: 16 }}>{capacity}</div> : null}
        <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 16 }}>
          <Space wrap>
            <Input.Search
              allowClear
              placeholder={t('customers.searchPlaceholder')}
              style={{ width: 260 }}
              data-testid="customer-search"
              onSearch={(value) => {
                setQ(value.trim());
                resetPage();
              }}
            />
            <Select<CustomerKind>
              allowClear
              value={kind}
              placeholder={t('customers.fields.kind')}
              style={{ width: 120 }}
              data-testid="customer-kind-filter"
              options={customerKinds.map((k) => ({ value: k, label: t(`customers.kinds.${k}`) }))}
              onChange={(value) => {
                setKind(value);
                resetPage();
              }}
            />
            <Select<string[]>
              mode="tags"
              allowClear
              value={sources}
              placeholder={t('customers.fields.source')}
              style={{ minWidth: 160 }}
              maxTagCount="responsive"
              data-testid="customer-source-filter"
              options={[...new Set(items.flatMap((c) => (c.source ? [c.source] : [])))]
                .sort()
                .map((s) => ({ value: s, label: s }))}
              onChange={(value) => {
                setSources(value);
                resetPage();
              }}
            />
            <Input.Search
              allowClear
              placeholder={t('customers.tagFilter')}
              style={{ width: 160 }}
              data-testid="customer-tag-filter"
              onSearch={(value) => {
                setTag(value.trim());
                resetPage();
              }}
            />
          </Space>
          {canSelect ? (
            <Space wrap>
              {selected.length > 0 ? (
                <Typography.Text type="secondary">
                  {t('customers.selected', { count: selected.length })}
                </Typography.Text>
              ) : null}
              {canClaim ? (
                <Button
                  type="primary"
                  disabled={selected.length === 0}
                  loading={claiming}
                  data-testid="customer-batch-claim"
                  onClick={() => void claimSelected()}
                >
                  {t('customers.batchClaim')}
                </Button>
              ) : null}
              {canTransfer && renderDistribute ? (
                <Button
                  disabled={selected.length === 0}
                  data-testid="customer-distribute"
                  onClick={() => {
                    setDistributing({
                      ids: [...selected],
                      names: new Map(items.map((c) => [c.id, c.name])),
                    });
                  }}
                >
                  {t('assignment.distribute.action')}
                </Button>
              ) : null}
            </Space>
          ) : null}
        </Flex>
        {customers.isError ? (
          <ErrorAlert error={customers.error} onRetry={() => void customers.refetch()} />
        ) : (
          <CustomerTable
            testId="customer-table"
            customers={items}
            showOwner={scope === 'team'}
            total={customers.data?.total ?? 0}
            page={page}
            pageSize={pageSize}
            {...(sort ? { sort } : {})}
            loading={customers.isFetching}
            emptyText={publicTab ? t('customers.publicEmpty') : t('customers.empty')}
            extraColumns={poolStateColumns?.(items, publicTab ? 'protect' : 'drop')}
            {...(canSelect ? { selectedIds: selected, onSelect: setSelected } : {})}
            {...(publicTab && canClaim
              ? {
                  renderActions: (c) => (
                    <Button
                      size="small"
                      data-testid={`customer-claim-${c.id}`}
                      loading={claim.isPending && claim.variables === c.id}
                      onClick={() => {
                        claim.mutate(c.id, {
                          onSuccess: () => {
                            notify.success(t('customers.claimed'));
                          },
                          onError: notify.error,
                        });
                      }}
                    >
                      {t('customers.claim')}
                    </Button>
                  ),
                }
              : {})}
            onChange={(next) => {
              setPage(next.page);
              setPageSize(next.pageSize);
              setSort(next.sort);
            }}
          />
        )}
      </Card>
      {creating ? (
        <CustomerFormDialog
          canAssign={canTransfer}
          onClose={() => {
            setCreating(false);
          }}
          onCreated={(customer) => {
            void navigate(`/customers/${customer.id}`);
          }}
        />
      ) : null}
      {distributing
        ? renderDistribute?.({
            ...distributing,
            onDistributed: () => {
              setSelected([]);
            },
            onClose: () => {
              setDistributing(null);
            },
          })
        : null}
      {outcome ? (
        <BatchResultDialog
          result={outcome.result}
          names={outcome.names}
          onClose={() => {
            setOutcome(null);
          }}
        />
      ) : null}
    </>
  );
}
