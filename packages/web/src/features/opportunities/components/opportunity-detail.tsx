import { useState } from 'react';
import { Button, Card, Col, Descriptions, Flex, Row, Select, Space, Steps, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Opportunity, OpportunityStage, StageChange } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { FollowUpForm } from '../../../components/follow-up-form.tsx';
import { Loading } from '../../../components/loading.tsx';
import { PageHeader } from '../../../components/page-header.tsx';
import { AuditEntry, FollowUpEntry, RecordTimeline } from '../../../components/record-timeline.tsx';
import { ReasonDialog } from '../../../components/reason-dialog.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { formatDate, formatDateTime, formatValue } from '../../../lib/format.ts';
import { formatAmount } from '../../../lib/money.ts';
import { useCan, useMe } from '../../../lib/session.ts';
import {
  useAddOpportunityFollowUp,
  useMoveStage,
  useOpportunity,
  useOpportunityStages,
  useOpportunityTimeline,
  useStageHistory,
} from '../api/opportunities.ts';
import { OpportunityFormDialog } from './opportunity-form-dialog.tsx';
import { StageTag } from './stage-tag.tsx';

const shownFields = ['name', 'amount', 'expectedCloseDate', 'stage', 'lostReason'] as const;
type ShownField = (typeof shownFields)[number];

function isShownField(field: string): field is ShownField {
  return (shownFields as readonly string[]).includes(field);
}

/** Open stages in order, then the one closed stage the opportunity is in (or "won"). */
function StageSteps({
  opportunity,
  stages,
}: {
  opportunity: Opportunity;
  stages: readonly OpportunityStage[];
}) {
  const open = stages.filter((s) => s.outcome === 'open');
  const closed =
    stages.find((s) => s.key === opportunity.stage && s.outcome !== 'open') ??
    stages.find((s) => s.outcome === 'won');
  const steps = closed ? [...open, closed] : open;
  const current = steps.findIndex((s) => s.key === opportunity.stage);
  return (
    <Steps
      size="small"
      data-testid="opportunity-steps"
      current={current}
      status={
        opportunity.status === 'lost'
          ? 'error'
          : opportunity.status === 'won'
            ? 'finish'
            : 'process'
      }
      items={steps.map((s) => ({ title: s.name, content: `${String(s.probability)}%` }))}
    />
  );
}

function StageMover({
  opportunity,
  stages,
}: {
  opportunity: Opportunity;
  stages: readonly OpportunityStage[];
}) {
  const { t } = useTranslation();
  const notify = useNotify();
  const move = useMoveStage();
  const [target, setTarget] = useState<string | undefined>(undefined);
  const [asking, setAsking] = useState(false);
  const stage = stages.find((s) => s.key === target);

  const run = (lostReason?: string) => {
    if (!stage) return Promise.resolve();
    return move
      .mutateAsync({
        id: opportunity.id,
        body: { stage: stage.key, ...(lostReason ? { lostReason } : {}) },
      })
      .then(() => {
        notify.success(t('opportunities.moved', { stage: stage.name }));
        setTarget(undefined);
      });
  };

  return (
    <Space.Compact>
      <Select<string>
        value={target}
        placeholder={t('opportunities.moveTo')}
        style={{ width: 180 }}
        data-testid="stage-move-select"
        options={stages
          .filter((s) => s.key !== opportunity.stage)
          .map((s) => ({ value: s.key, label: s.name }))}
        onChange={setTarget}
      />
      <Button
        type="primary"
        disabled={!stage}
        loading={move.isPending}
        data-testid="stage-move-submit"
        onClick={() => {
          if (stage?.outcome === 'lost') setAsking(true);
          else void run().catch(notify.error);
        }}
      >
        {t('opportunities.move')}
      </Button>
      {asking ? (
        <ReasonDialog
          title={t('opportunities.lostTitle', { name: opportunity.name })}
          hint={t('opportunities.lostHint')}
          danger
          pending={move.isPending}
          onSubmit={(reason) => run(reason)}
          onClose={() => {
            setAsking(false);
          }}
        />
      ) : null}
    </Space.Compact>
  );
}

function StageHistory({ id, stages }: { id: string; stages: readonly OpportunityStage[] }) {
  const { t } = useTranslation();
  const history = useStageHistory(id);
  const nameOf = (key: string | null) =>
    key === null ? '—' : (stages.find((s) => s.key === key)?.name ?? key);
  if (history.isError)
    return <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />;
  return (
    <Table<StageChange>
      size="small"
      rowKey={(r) => `${r.at}-${r.toStage}`}
      pagination={false}
      loading={history.isPending}
      dataSource={history.data ?? []}
      data-testid="stage-history"
      columns={[
        {
          title: t('opportunities.history.at'),
          key: 'at',
          render: (_v, r) => formatDateTime(r.at),
        },
        {
          title: t('opportunities.history.from'),
          key: 'from',
          render: (_v, r) => nameOf(r.fromStage),
        },
        { title: t('opportunities.history.to'), key: 'to', render: (_v, r) => nameOf(r.toStage) },
        {
          title: t('opportunities.history.actor'),
          key: 'actor',
          render: (_v, r) => r.actorName ?? t('timeline.system'),
        },
      ]}
    />
  );
}

function OpportunityTimeline({ id, stages }: { id: string; stages: readonly OpportunityStage[] }) {
  const { t } = useTranslation();
  const timeline = useOpportunityTimeline(id);
  if (timeline.isError)
    return <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} />;
  if (timeline.isPending) return <Loading height={120} />;
  const fieldLabel = (field: string) =>
    isShownField(field) ? t(`opportunities.fields.${field}`) : undefined;
  const formatField = (field: string, value: unknown) => {
    if (field === 'stage' && typeof value === 'string')
      return stages.find((s) => s.key === value)?.name ?? value;
    if (field === 'amount' && typeof value === 'number') return formatAmount(value);
    return formatValue(value);
  };
  return (
    <RecordTimeline
      testId="opportunity-timeline"
      entries={timeline.data.map((item, index) => ({
        key: `${item.at}-${String(index)}`,
        at: item.at,
        color: item.kind === 'followUp' ? 'blue' : 'gray',
        content:
          item.kind === 'followUp' ? (
            <FollowUpEntry item={item} />
          ) : (
            <AuditEntry item={item} fieldLabel={fieldLabel} formatField={formatField} />
          ),
      }))}
    />
  );
}

/** 商机详情: fields, stage steps and moves, stage history, timeline and follow-ups. */
export function OpportunityDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const me = useMe();
  const opportunity = useOpportunity(id);
  const stages = useOpportunityStages();
  const addFollowUp = useAddOpportunityFollowUp();
  const canManage = useCan('opportunity.manage');
  const canFollowUp = useCan('followup.create');
  const canTransfer = useCan('customer.transfer');
  const [editing, setEditing] = useState(false);

  if (opportunity.isPending || stages.isPending) return <Loading />;
  if (opportunity.isError || stages.isError)
    return (
      <>
        <PageHeader title={t('opportunities.detailTitle')} />
        <ErrorAlert
          error={opportunity.error ?? stages.error}
          onRetry={() => {
            void opportunity.refetch();
            void stages.refetch();
          }}
          testId="opportunity-error"
        />
        <Link to="/opportunities">{t('opportunities.backToList')}</Link>
      </>
    );

  const data = opportunity.data;
  const works = canManage && (data.ownerId === me.id || canTransfer);
  const dash = '—';
  return (
    <>
      <PageHeader
        title={
          <Flex align="center" gap={12} wrap>
            <span data-testid="opportunity-title">{data.name}</span>
            <StageTag opportunity={data} />
          </Flex>
        }
        extra={
          works ? (
            <Space wrap>
              <StageMover opportunity={data} stages={stages.data} />
              <Button
                data-testid="opportunity-edit"
                onClick={() => {
                  setEditing(true);
                }}
              >
                {t('common.edit')}
              </Button>
            </Space>
          ) : null
        }
      />
      <Card style={{ marginBottom: 16 }}>
        <StageSteps opportunity={data} stages={stages.data} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card data-testid="opportunity-details">
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('opportunities.fields.customer')}>
                <Link to={`/customers/${data.customerId}`}>{data.customerName}</Link>
              </Descriptions.Item>
              <Descriptions.Item label={t('opportunities.fields.owner')}>
                {data.ownerName ?? dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('opportunities.fields.amount')}>
                <span data-testid="opportunity-amount">{formatAmount(data.amount)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('opportunities.fields.probability')}>
                {`${String(data.probability)}%`}
              </Descriptions.Item>
              <Descriptions.Item label={t('opportunities.fields.expectedCloseDate')}>
                {data.expectedCloseDate ? formatDate(data.expectedCloseDate) : dash}
              </Descriptions.Item>
              <Descriptions.Item label={t('opportunities.fields.status')}>
                {t(`opportunities.statuses.${data.status}`)}
              </Descriptions.Item>
              {data.closedAt ? (
                <Descriptions.Item label={t('opportunities.fields.closedAt')}>
                  {formatDateTime(data.closedAt)}
                </Descriptions.Item>
              ) : null}
              {data.status === 'lost' && data.lostReason ? (
                <Descriptions.Item label={t('opportunities.fields.lostReason')}>
                  {data.lostReason}
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('opportunities.fields.createdAt')}>
                {formatDateTime(data.createdAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('opportunities.fields.updatedAt')}>
                {formatDateTime(data.updatedAt)}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('opportunities.history.title')} style={{ marginTop: 16 }}>
            <StageHistory id={data.id} stages={stages.data} />
          </Card>
          <Card title={t('timeline.title')} style={{ marginTop: 16 }}>
            <OpportunityTimeline id={data.id} stages={stages.data} />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          {canFollowUp && works ? (
            <FollowUpForm
              pending={addFollowUp.isPending}
              onSubmit={(body) => addFollowUp.mutateAsync({ id: data.id, body })}
            />
          ) : null}
        </Col>
      </Row>
      {editing ? (
        <OpportunityFormDialog
          opportunity={data}
          onClose={() => {
            setEditing(false);
          }}
        />
      ) : null}
    </>
  );
}
