import { useState } from 'react';
import { Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  assignmentRuleBody,
  type AssignmentRule,
  type AssignmentRuleBody,
  type AssignmentStrategy,
} from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { RegionPicker } from '../../../components/pickers/region-picker.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { applyFieldErrors, useErrorText } from '../../../lib/errors.ts';
import { schemaRule, useFormRules } from '../../../lib/form-rules.ts';
import { usePools } from '../../../lib/reference-data.ts';
import { regionPath } from '../../../lib/region-codes.ts';
import { useSaveAssignmentRule } from '../api/assignment-rules.ts';
import { StrategyHint, StrategySelect } from './strategy-select.tsx';
import { TargetFields, toTarget, type TargetValues } from './target-fields.tsx';

interface RuleFormValues extends TargetValues {
  poolId: string;
  name: string;
  priority: number | null;
  enabled: boolean;
  sources: string[];
  /** Each chosen division as the picker holds it: its path of codes. */
  regions: string[][];
  strategy: AssignmentStrategy;
}

const shape = assignmentRuleBody.shape;
/** The contract's limits on the conditions. */
const MAX_SOURCES = 50;
const MAX_REGIONS = 200;
const DEFAULT_PRIORITY = 100;

function RegionField({
  value,
  onChange,
  placeholder,
}: {
  value?: string[][];
  onChange?: (value: string[][]) => void;
  placeholder?: string;
}) {
  return (
    <RegionPicker
      value={value ?? []}
      onChange={(next) => onChange?.(next)}
      {...(placeholder ? { placeholder } : {})}
    />
  );
}

function initialValues(rule: AssignmentRule | undefined, poolId: string | undefined) {
  if (!rule)
    return {
      ...(poolId ? { poolId } : {}),
      priority: DEFAULT_PRIORITY,
      enabled: true,
      sources: [],
      regions: [],
      strategy: 'round_robin',
      target: 'users',
    } satisfies Partial<RuleFormValues>;
  return {
    poolId: rule.poolId,
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    sources: rule.sources,
    regions: rule.regionCodes.map(regionPath),
    strategy: rule.strategy,
    target: rule.nodeId === null ? 'users' : 'node',
    userIds: rule.userIds,
    ...(rule.nodeId === null ? {} : { nodeId: rule.nodeId }),
  } satisfies Partial<RuleFormValues>;
}

interface AssignmentRuleDialogProps {
  /** The rule to change; absent to add one. */
  rule?: AssignmentRule;
  onClose: () => void;
}

/**
 * Adds or changes an assignment rule: which new leads of a pool it takes (by source and
 * region; an empty list takes any), how it shares them and among whom.
 */
export function AssignmentRuleDialog({ rule, onClose }: AssignmentRuleDialogProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const errorText = useErrorText();
  const rules = useFormRules();
  const pools = usePools();
  const [form] = Form.useForm<RuleFormValues>();
  const strategy = Form.useWatch('strategy', form);
  const save = useSaveAssignmentRule();
  const [error, setError] = useState<unknown>(null);
  const defaultPool = pools.data?.find((p) => p.isDefault)?.id;

  const submit = (values: RuleFormValues) => {
    setError(null);
    const body: AssignmentRuleBody = {
      poolId: values.poolId,
      name: values.name.trim(),
      priority: values.priority ?? DEFAULT_PRIORITY,
      enabled: values.enabled,
      sources: values.sources.map((s) => s.trim()).filter((s) => s !== ''),
      regionCodes: values.regions.flatMap((path) => path.slice(-1)),
      // Leads carry no industry; the page offers no such condition but keeps a saved one.
      industries: rule?.industries ?? [],
      strategy: values.strategy,
      ...toTarget(values),
    };
    save.mutate(
      { ...(rule ? { id: rule.id } : {}), body },
      {
        onSuccess: () => {
          notify.success(rule ? t('assignment.rules.saved') : t('assignment.rules.created'));
          onClose();
        },
        onError: (err) => {
          const fields = ['poolId', 'name', 'priority', 'sources', 'userIds', 'nodeId'];
          if (!applyFieldErrors(form, errorText(err), fields)) setError(err);
        },
      },
    );
  };

  return (
    <Modal
      open
      title={rule ? t('assignment.rules.edit') : t('assignment.rules.add')}
      okText={rule ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      okButtonProps={{ 'data-testid': 'rule-form-save' }}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={640}
    >
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} testId="rule-form-error" />
        </div>
      ) : null}
      {pools.isPending ? null : (
        <Form<RuleFormValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={initialValues(rule, defaultPool)}
          data-testid="rule-form"
        >
          <Form.Item
            name="poolId"
            label={t('assignment.rules.pool')}
            rules={[{ required: true, message: t('assignment.rules.poolRequired') }]}
          >
            <Select<string>
              data-testid="rule-form-pool"
              options={(pools.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              showSearch={{ optionFilterProp: 'label' }}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('assignment.rules.name')}
            rules={[rules.requiredTrimmed, rules.maxLength(60)]}
          >
            <Input data-testid="rule-form-name" />
          </Form.Item>
          <Form.Item
            name="priority"
            label={t('assignment.rules.priority')}
            extra={t('assignment.rules.priorityHint')}
            rules={[schemaRule(shape.priority, t('assignment.rules.priorityInvalid'))]}
          >
            <InputNumber<number>
              precision={0}
              min={0}
              style={{ width: 160 }}
              data-testid="rule-form-priority"
            />
          </Form.Item>
          <Form.Item name="enabled" label={t('assignment.rules.enabled')} valuePropName="checked">
            <Switch data-testid="rule-form-enabled" />
          </Form.Item>
          <Form.Item
            name="sources"
            label={t('assignment.rules.sources')}
            extra={t('assignment.rules.sourcesHint')}
            rules={[
              {
                type: 'array',
                max: MAX_SOURCES,
                message: t('assignment.rules.tooMany', { max: MAX_SOURCES }),
              },
            ]}
          >
            <Select<string[]>
              mode="tags"
              open={false}
              suffix={null}
              tokenSeparators={[',', '，']}
              placeholder={t('assignment.rules.sourcesPlaceholder')}
              data-testid="rule-form-sources"
            />
          </Form.Item>
          <Form.Item
            name="regions"
            label={t('assignment.rules.regions')}
            extra={t('assignment.rules.regionsHint')}
            rules={[
              {
                type: 'array',
                max: MAX_REGIONS,
                message: t('assignment.rules.tooMany', { max: MAX_REGIONS }),
              },
            ]}
          >
            <RegionField placeholder={t('assignment.rules.regionsPlaceholder')} />
          </Form.Item>
          <Form.Item
            name="strategy"
            label={t('assignment.strategy')}
            extra={<StrategyHint strategy={strategy} />}
          >
            <StrategySelect testId="rule-form-strategy" />
          </Form.Item>
          <TargetFields />
        </Form>
      )}
    </Modal>
  );
}
