import { useState, type DragEvent } from 'react';
import { Button, Card, Empty, Flex, Input, Segmented, Space, Typography } from 'antd';
import { SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Opportunity, OpportunityStage } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { ReasonDialog } from '../../../components/reason-dialog.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDate } from '../../../lib/format.ts';
import { formatAmount } from '../../../lib/money.ts';
import { useCan, useMe } from '../../../lib/session.ts';
import { useMoveStage, useOpportunityList, useOpportunityStages } from '../api/opportunities.ts';
import { StageEditorDrawer } from './stage-editor-drawer.tsx';

type Scope = 'mine' | 'team';

/** The board loads at most this many cards per query (the API's page limit). */
const BOARD_LIMIT = 200;

const DRAG_TYPE = 'application/x-tide-opportunity';

interface PendingLoss {
  opportunity: Opportunity;
  stage: OpportunityStage;
}

function BoardCard({
  opportunity,
  draggable,
  onDragStart,
  onDragEnd,
}: {
  opportunity: Opportunity;
  draggable: boolean;
  onDragStart: () => void;
  onDragEnd: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      draggable={draggable}
      data-testid={`board-card-${opportunity.id}`}
      style={{ cursor: draggable ? 'grab' : 'default' }}
      onDragStart={(e: DragEvent<HTMLDivElement>) => {
        e.dataTransfer.setData(DRAG_TYPE, opportunity.id);
        e.dataTransfer.setData('text/plain', opportunity.id);
        e.dataTransfer.effectAllowed = 'move';
        onDragStart();
      }}
      onDragEnd={onDragEnd}
    >
      <Space orientation="vertical" size={2} style={{ width: '100%' }}>
        <Link to={`/opportunities/${opportunity.id}`} draggable={false}>
          <Typography.Text strong>{opportunity.name}</Typography.Text>
        </Link>
        <Typography.Text type="secondary" ellipsis>
          {opportunity.customerName}
        </Typography.Text>
        <Flex justify="space-between" gap={8}>
          <Typography.Text>{formatAmount(opportunity.amount)}</Typography.Text>
          <Typography.Text type="secondary">{opportunity.ownerName ?? '—'}</Typography.Text>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('opportunities.board.expected', {
            date: opportunity.expectedCloseDate ? formatDate(opportunity.expectedCloseDate) : '—',
          })}
        </Typography.Text>
      </Space>
    </Card>
  );
}

/** 商机看板: one column per stage; drag a card to move the opportunity. */
export function OpportunityBoard() {
  const { t } = useTranslation();
  const me = useMe();
  const notify = useNotify();
  const canManage = useCan('opportunity.manage');
  const canConfigure = useCan('opportunity.configure');
  const canSeeTeam = useCan('customer.transfer');
  const [scope, setScope] = useState<Scope>('mine');
  const [q, setQ] = useState('');
  const [dragging, setDragging] = useState<Opportunity | null>(null);
  const [overStage, setOverStage] = useState<string | null>(null);
  // Where a card was dropped, shown until the server answers: a refusal snaps it back.
  const [moved, setMoved] = useState<ReadonlyMap<string, string>>(new Map());
  const [pendingLoss, setPendingLoss] = useState<PendingLoss | null>(null);
  const [editingStages, setEditingStages] = useState(false);
  const stages = useOpportunityStages();
  const move = useMoveStage();
  const team = canSeeTeam && scope === 'team';
  const filters = {
    page: 1,
    pageSize: BOARD_LIMIT,
    sort: '-updatedAt',
    ...(team ? {} : { ownerId: [me.id] }),
    ...(q ? { q } : {}),
  };
  const open = useOpportunityList({ ...filters, status: ['open'] });
  const closed = useOpportunityList({ ...filters, status: ['won', 'lost'] });

  if (stages.isError)
    return <ErrorAlert error={stages.error} onRetry={() => void stages.refetch()} />;
  if (stages.isPending) return <Loading />;

  const all = [...(open.data?.items ?? []), ...(closed.data?.items ?? [])];
  const stageOf = (o: Opportunity) => moved.get(o.id) ?? o.stage;
  const truncated =
    (open.data?.total ?? 0) > BOARD_LIMIT || (closed.data?.total ?? 0) > BOARD_LIMIT;

  const runMove = (opportunity: Opportunity, stage: OpportunityStage, lostReason?: string) => {
    setMoved((prev) => new Map(prev).set(opportunity.id, stage.key));
    return move
      .mutateAsync({
        id: opportunity.id,
        body: { stage: stage.key, ...(lostReason ? { lostReason } : {}) },
      })
      .then(
        () => {
          notify.success(t('opportunities.moved', { stage: stage.name }));
        },
        (err: unknown) => {
          notify.error(err);
        },
      )
      .finally(() => {
        setMoved((prev) => {
          const next = new Map(prev);
          next.delete(opportunity.id);
          return next;
        });
      });
  };

  const drop = (stage: OpportunityStage) => {
    const opportunity = dragging;
    setDragging(null);
    setOverStage(null);
    if (!opportunity || stageOf(opportunity) === stage.key) return;
    if (stage.outcome === 'lost') setPendingLoss({ opportunity, stage });
    else void runMove(opportunity, stage);
  };

  return (
    <>
      <PageHeader
        title={t('opportunities.board.title')}
        extra={
          <Space wrap>
            {canSeeTeam ? (
              <Segmented<Scope>
                data-testid="board-scope"
                value={scope}
                options={[
                  { value: 'mine', label: t('opportunities.scopeMine') },
                  { value: 'team', label: t('opportunities.scopeTeam') },
                ]}
                onChange={setScope}
              />
            ) : null}
            <Input.Search
              allowClear
              placeholder={t('opportunities.searchPlaceholder')}
              style={{ width: 240 }}
              data-testid="board-search"
              onSearch={(value) => {
                setQ(value.trim());
              }}
            />
            {canConfigure ? (
              <Button
                icon={<SettingOutlined />}
                data-testid="stage-editor-open"
                onClick={() => {
                  setEditingStages(true);
                }}
              >
                {t('opportunities.stages.edit')}
              </Button>
            ) : null}
          </Space>
        }
      />
      {open.isError || closed.isError ? (
        <ErrorAlert
          error={open.error ?? closed.error}
          onRetry={() => {
            void open.refetch();
            void closed.refetch();
          }}
        />
      ) : null}
      {truncated ? (
        <Typography.Paragraph type="warning">
          {t('opportunities.board.truncated', { limit: BOARD_LIMIT })}
        </Typography.Paragraph>
      ) : null}
      <div
        style={{ display: 'flex', gap: 12, overflowX: 'auto', paddingBottom: 12 }}
        data-testid="opportunity-board"
      >
        {stages.data.map((stage) => {
          const cards = all.filter((o) => stageOf(o) === stage.key);
          const sum = cards.reduce((acc, o) => acc + (o.amount ?? 0), 0);
          const isTarget = overStage === stage.key && dragging !== null;
          return (
            <div
              key={stage.key}
              data-testid={`board-column-${stage.key}`}
              onDragOver={(e) => {
                if (!dragging) return;
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                if (overStage !== stage.key) setOverStage(stage.key);
              }}
              onDragLeave={() => {
                if (overStage === stage.key) setOverStage(null);
              }}
              onDrop={(e) => {
                e.preventDefault();
                drop(stage);
              }}
              style={{
                flex: '0 0 260px',
                background: isTarget ? 'rgba(22, 119, 255, 0.08)' : 'rgba(0, 0, 0, 0.03)',
                border: isTarget ? '1px dashed #1677ff' : '1px solid transparent',
                borderRadius: 8,
                padding: 8,
                minHeight: 320,
              }}
            >
              <Flex justify="space-between" align="baseline" style={{ marginBottom: 8 }}>
                <Typography.Text strong>
                  {stage.name}{' '}
                  <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                    {`${String(stage.probability)}%`}
                  </Typography.Text>
                </Typography.Text>
                <Typography.Text type="secondary" data-testid={`board-total-${stage.key}`}>
                  {t('opportunities.board.total', {
                    count: cards.length,
                    sum: formatAmount(sum),
                  })}
                </Typography.Text>
              </Flex>
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                {cards.length === 0 ? (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={t('opportunities.board.emptyColumn')}
                  />
                ) : (
                  cards.map((o) => (
                    <BoardCard
                      key={o.id}
                      opportunity={o}
                      draggable={canManage && !moved.has(o.id)}
                      onDragStart={() => {
                        setDragging(o);
                      }}
                      onDragEnd={() => {
                        setDragging(null);
                        setOverStage(null);
                      }}
                    />
                  ))
                )}
              </Space>
            </div>
          );
        })}
      </div>
      {pendingLoss ? (
        <ReasonDialog
          title={t('opportunities.lostTitle', { name: pendingLoss.opportunity.name })}
          hint={t('opportunities.lostHint')}
          danger
          pending={move.isPending}
          onSubmit={(reason) => runMove(pendingLoss.opportunity, pendingLoss.stage, reason)}
          onClose={() => {
            setPendingLoss(null);
          }}
        />
      ) : null}
      {editingStages ? (
        <StageEditorDrawer
          stages={stages.data}
          onClose={() => {
            setEditingStages(false);
          }}
        />
      ) : null}
    </>
  );
}
