import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Flex,
  Form,
  InputNumber,
  Radio,
  Row,
  Slider,
  Tabs,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import {
  duplicateActions,
  duplicateObjectTypes,
  matchLevels,
  type DuplicateKey,
  type DuplicateObjectType,
  type DuplicateRule,
} from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useCan } from '../../../lib/session.ts';
import { useDuplicateRules, useUpdateDuplicateRule } from '../api/duplicate-rules.ts';

/** The keys a record of the type has at all; the others would never match. */
const keysOf: Record<DuplicateObjectType, readonly DuplicateKey[]> = {
  lead: ['phone', 'name', 'address'],
  customer: ['phone', 'creditCode', 'idNumber', 'registration', 'name', 'address'],
  contact: ['phone', 'email', 'name'],
};

function toPercent(threshold: number): number {
  return Math.round(threshold * 100);
}

function sameRule(a: DuplicateRule, b: DuplicateRule): boolean {
  return (
    a.threshold === b.threshold &&
    a.level === b.level &&
    a.onCreate === b.onCreate &&
    a.onUpdate === b.onUpdate &&
    a.keys.length === b.keys.length &&
    a.keys.every((k) => b.keys.includes(k))
  );
}

interface RuleFormProps {
  type: DuplicateObjectType;
  rule: DuplicateRule;
  canEdit: boolean;
}

function RuleForm({ type, rule, canEdit }: RuleFormProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const update = useUpdateDuplicateRule();
  const [draft, setDraft] = useState<DuplicateRule>(rule);
  const testId = (part: string) => `dup-rule-${type}-${part}`;
  const keys = keysOf[type];
  const changed = !sameRule(draft, rule);
  const disabled = !canEdit || update.isPending;

  const set = (patch: Partial<DuplicateRule>) => {
    setDraft((prev) => ({ ...prev, ...patch }));
  };

  const save = () => {
    update.mutate(
      // Keys this type cannot have would never match: only the offered ones are kept.
      { type, rule: { ...draft, keys: keys.filter((k) => draft.keys.includes(k)) } },
      {
        onSuccess: () => {
          notify.success(t('settings.duplicateRules.saved', { type: t(`dedupe.types.${type}`) }));
        },
        onError: notify.error,
      },
    );
  };

  const actionChoice = (field: 'onCreate' | 'onUpdate', part: string) => (
    <Form.Item
      label={t(`settings.duplicateRules.${field}`)}
      extra={
        <span data-testid={testId(`${part}-hint`)}>
          {t(`settings.duplicateRules.actionHints.${draft[field]}`)}
        </span>
      }
    >
      <Radio.Group
        optionType="button"
        disabled={disabled}
        value={draft[field]}
        data-testid={testId(part)}
        onChange={(e) => {
          const value: unknown = e.target.value;
          const action = duplicateActions.find((a) => a === value);
          if (action) set({ [field]: action });
        }}
        options={duplicateActions.map((a) => ({
          value: a,
          label: (
            <span data-testid={testId(`${part}-${a}`)}>
              {t(`settings.duplicateRules.actions.${a}`)}
            </span>
          ),
        }))}
      />
    </Form.Item>
  );

  return (
    <Form layout="vertical" data-testid={testId('form')}>
      <Form.Item
        label={t('settings.duplicateRules.keys')}
        extra={t('settings.duplicateRules.keysHint')}
        validateStatus={draft.keys.length === 0 ? 'error' : undefined}
        help={draft.keys.length === 0 ? t('settings.duplicateRules.keysRequired') : undefined}
      >
        <Checkbox.Group<DuplicateKey>
          disabled={disabled}
          value={draft.keys}
          data-testid={testId('keys')}
          onChange={(next) => {
            set({ keys: next });
          }}
          options={keys.map((k) => ({
            value: k,
            label: (
              <span data-testid={testId(`key-${k}`)}>
                {t(`settings.duplicateRules.keyNames.${k}`)}
              </span>
            ),
          }))}
        />
      </Form.Item>
      <Form.Item
        label={t('settings.duplicateRules.threshold')}
        extra={t('settings.duplicateRules.thresholdHint')}
      >
        <Row gutter={16} align="middle">
          <Col flex="auto">
            <Slider
              min={0}
              max={100}
              step={5}
              disabled={disabled}
              value={toPercent(draft.threshold)}
              tooltip={{ formatter: (v) => `${String(v ?? 0)}%` }}
              onChange={(v) => {
                set({ threshold: v / 100 });
              }}
            />
          </Col>
          <Col flex="120px">
            <InputNumber<number>
              min={0}
              max={100}
              precision={0}
              disabled={disabled}
              value={toPercent(draft.threshold)}
              suffix="%"
              data-testid={testId('threshold')}
              style={{ width: '100%' }}
              onChange={(v) => {
                if (v !== null) set({ threshold: Math.min(100, Math.max(0, v)) / 100 });
              }}
            />
          </Col>
        </Row>
      </Form.Item>
      <Form.Item
        label={t('settings.duplicateRules.level')}
        extra={
          <span data-testid={testId('level-hint')}>
            {t(`settings.duplicateRules.levelHints.${draft.level}`)}
          </span>
        }
      >
        <Radio.Group
          optionType="button"
          disabled={disabled}
          value={draft.level}
          data-testid={testId('level')}
          onChange={(e) => {
            const value: unknown = e.target.value;
            const level = matchLevels.find((l) => l === value);
            if (level) set({ level });
          }}
          options={matchLevels.map((l) => ({
            value: l,
            label: <span data-testid={testId(`level-${l}`)}>{t(`dedupe.levels.${l}`)}</span>,
          }))}
        />
      </Form.Item>
      {actionChoice('onCreate', 'on-create')}
      {actionChoice('onUpdate', 'on-update')}
      {canEdit ? (
        <Flex gap={8} justify="flex-end">
          <Button
            disabled={!changed || update.isPending}
            onClick={() => {
              setDraft(rule);
            }}
          >
            {t('settings.duplicateRules.reset')}
          </Button>
          <Button
            type="primary"
            loading={update.isPending}
            disabled={!changed || draft.keys.length === 0}
            data-testid={testId('save')}
            onClick={save}
          >
            {t('common.save')}
          </Button>
        </Flex>
      ) : null}
    </Form>
  );
}

/**
 * 查重规则 (SPEC §4): per record type, which keys count, how strong a match must be to
 * be reported, and what creating or editing a duplicate does. Only admins change them.
 */
export function DuplicateRulesCard() {
  const { t } = useTranslation();
  const rules = useDuplicateRules();
  const canEdit = useCan('tenant.settings');
  const [type, setType] = useState<DuplicateObjectType>('customer');

  return (
    <Card title={t('settings.duplicateRules.title')} data-testid="dup-rules">
      <Typography.Paragraph type="secondary">
        {t('settings.duplicateRules.intro')}
      </Typography.Paragraph>
      {canEdit ? null : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('settings.duplicateRules.readOnly')}
          data-testid="dup-rules-read-only"
        />
      )}
      {rules.isPending ? (
        <Loading height={160} />
      ) : rules.isError ? (
        <ErrorAlert error={rules.error} onRetry={() => void rules.refetch()} />
      ) : (
        <Tabs
          activeKey={type}
          onChange={(key) => {
            const next = duplicateObjectTypes.find((k) => k === key);
            if (next) setType(next);
          }}
          items={(['customer', 'lead', 'contact'] as const).map((k) => ({
            key: k,
            label: <span data-testid={`dup-rules-tab-${k}`}>{t(`dedupe.types.${k}`)}</span>,
            children: (
              <RuleForm
                // The saved rule is the new starting point of the form.
                key={JSON.stringify(rules.data[k])}
                type={k}
                rule={rules.data[k]}
                canEdit={canEdit}
              />
            ),
          }))}
        />
      )}
    </Card>
  );
}
