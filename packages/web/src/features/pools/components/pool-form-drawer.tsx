import { useState } from 'react';
import {
  Button,
  Divider,
  Drawer,
  Flex,
  Form,
  Input,
  InputNumber,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { createPoolBody, type CreatePoolBody, type Pool, type PoolRuleBody } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { OrgNodeSelect } from '../../../components/pickers/org-node-select.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { useErrorText } from '../../../lib/errors.ts';
import { schemaRule, useFormRules } from '../../../lib/form-rules.ts';
import { useCreatePool, useUpdatePool } from '../api/pools.ts';
import { applyNestedFieldErrors } from './form-errors.ts';
import { RuleEditor, type RuleValues } from './rule-editor.tsx';

interface PoolFormValues {
  name: string;
  nodeId: string;
  protectDays: number | null;
  exempt: boolean;
  exemptWonDays: number | null;
  requireVerification: boolean;
  rules: RuleValues[];
}

/** A new pool's exemption when the switch is first turned on. */
const DEFAULT_EXEMPT_DAYS = 90;

function initialValues(pool: Pool | undefined): Partial<PoolFormValues> {
  if (!pool) {
    return {
      protectDays: 0,
      exempt: false,
      exemptWonDays: DEFAULT_EXEMPT_DAYS,
      requireVerification: false,
      rules: [],
    };
  }
  return {
    name: pool.name,
    nodeId: pool.nodeId,
    protectDays: pool.protectDays,
    exempt: pool.exemptWonDays !== null,
    exemptWonDays: pool.exemptWonDays ?? DEFAULT_EXEMPT_DAYS,
    requireVerification: pool.requireVerification,
    rules: pool.rules.map(({ entity, kind, days, warnDays, enabled }) => ({
      entity,
      kind,
      days,
      warnDays,
      enabled,
    })),
  };
}

/** The form's rows as the API takes them; the form's own rules have checked each field. */
function toRuleBodies(rows: readonly RuleValues[]): PoolRuleBody[] {
  return rows.flatMap((r) =>
    r.kind === undefined || r.days === null
      ? []
      : [
          {
            entity: r.entity,
            kind: r.kind,
            days: r.days,
            warnDays: r.warnDays ?? 0,
            enabled: r.enabled,
          },
        ],
  );
}

function toBody(values: PoolFormValues, pool: Pool | undefined): CreatePoolBody {
  return {
    name: values.name.trim(),
    // The default pool stays at the root; its picker is not shown.
    nodeId: pool?.isDefault ? pool.nodeId : values.nodeId,
    protectDays: values.protectDays ?? 0,
    exemptWonDays: values.exempt ? values.exemptWonDays : null,
    requireVerification: values.requireVerification,
    rules: toRuleBodies(values.rules),
  };
}

interface PoolFormDrawerProps {
  /** The pool to edit; absent to create one. */
  pool?: Pool;
  onClose: () => void;
}

/**
 * Creates or edits a public sea: the team it serves, the protection after a drop, the
 * exemption of recently won customers, verification of new leads, and its drop rules.
 * Saving sends the whole rule list, which replaces the pool's.
 */
export function PoolFormDrawer({ pool, onClose }: PoolFormDrawerProps) {
  const { t } = useTranslation();
  const rules = useFormRules();
  const notify = useNotify();
  const errorText = useErrorText();
  const [form] = Form.useForm<PoolFormValues>();
  const create = useCreatePool();
  const update = useUpdatePool();
  const [error, setError] = useState<unknown>(null);
  const exempt = Form.useWatch('exempt', form);
  const editing = pool !== undefined;
  const pending = create.isPending || update.isPending;

  const onError = (err: unknown) => {
    // Refusals of one field go under it; anything else (a rule of the server's, a
    // taken name) is shown whole above the form.
    if (!applyNestedFieldErrors(form, errorText(err))) setError(err);
  };

  const submit = (values: PoolFormValues) => {
    setError(null);
    const body = toBody(values, pool);
    if (pool) {
      update.mutate(
        { id: pool.id, body },
        {
          onSuccess: () => {
            notify.success(t('pools.form.saved'));
            onClose();
          },
          onError,
        },
      );
      return;
    }
    create.mutate(body, {
      onSuccess: () => {
        notify.success(t('pools.form.created'));
        onClose();
      },
      onError,
    });
  };

  return (
    <Drawer
      open
      size={760}
      title={editing ? t('pools.form.editTitle', { name: pool.name }) : t('pools.form.createTitle')}
      onClose={onClose}
      destroyOnHidden
      data-testid="pool-form"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={pending}
            data-testid="pool-form-save"
            onClick={() => {
              form.submit();
            }}
          >
            {editing ? t('common.save') : t('common.create')}
          </Button>
        </Space>
      }
    >
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ErrorAlert error={error} testId="pool-form-error" />
        </div>
      ) : null}
      <Form<PoolFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialValues(pool)}
        scrollToFirstError
      >
        <Form.Item
          name="name"
          label={t('pools.form.name')}
          rules={[
            { required: true, whitespace: true, message: t('pools.validation.nameRequired') },
            rules.maxLength(60),
          ]}
        >
          <Input data-testid="pool-form-name" autoComplete="off" />
        </Form.Item>
        {pool?.isDefault ? (
          <Form.Item label={t('pools.form.node')} extra={t('pools.form.defaultNodeHint')}>
            <Typography.Text data-testid="pool-form-node">{pool.nodeName}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item
            name="nodeId"
            label={t('pools.form.node')}
            extra={t('pools.form.nodeHint')}
            rules={[{ required: true, message: t('pools.validation.nodeRequired') }]}
          >
            <NodeField />
          </Form.Item>
        )}
        <Form.Item
          name="protectDays"
          label={t('pools.form.protectDays')}
          extra={t('pools.form.protectDaysHint')}
          rules={[
            { required: true, message: t('pools.validation.protectDays') },
            schemaRule(createPoolBody.shape.protectDays, t('pools.validation.protectDays')),
          ]}
        >
          <InputNumber<number>
            precision={0}
            suffix={t('pools.rule.daysUnit')}
            style={{ width: 160 }}
            data-testid="pool-form-protect-days"
          />
        </Form.Item>
        <Form.Item label={t('pools.form.exempt')} extra={t('pools.form.exemptHint')}>
          <Flex gap={12} align="flex-start">
            <Form.Item name="exempt" valuePropName="checked" noStyle>
              <Switch data-testid="pool-form-exempt" aria-label={t('pools.form.exempt')} />
            </Form.Item>
            {exempt ? (
              <Form.Item
                name="exemptWonDays"
                style={{ marginBottom: 0 }}
                rules={[
                  { required: true, message: t('pools.validation.exemptDays') },
                  schemaRule(createPoolBody.shape.exemptWonDays, t('pools.validation.exemptDays')),
                ]}
              >
                <InputNumber<number>
                  precision={0}
                  prefix={t('pools.form.exemptPrefix')}
                  suffix={t('pools.rule.daysUnit')}
                  style={{ width: 220 }}
                  data-testid="pool-form-exempt-days"
                />
              </Form.Item>
            ) : null}
          </Flex>
        </Form.Item>
        <Form.Item
          name="requireVerification"
          label={t('pools.form.requireVerification')}
          extra={t('pools.form.requireVerificationHint')}
          valuePropName="checked"
        >
          <Switch data-testid="pool-form-verification" />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('pools.form.rules')}
        </Divider>
        <Typography.Paragraph type="secondary">{t('pools.form.rulesHint')}</Typography.Paragraph>
        <RuleEditor />
      </Form>
    </Drawer>
  );
}

/** The team picker, with a test id the shared picker does not take. */
function NodeField({
  value,
  onChange,
  id,
}: {
  value?: string;
  onChange?: (value: string) => void;
  id?: string;
}) {
  return (
    <div data-testid="pool-form-node">
      <OrgNodeSelect value={value} onChange={onChange} id={id} />
    </div>
  );
}
