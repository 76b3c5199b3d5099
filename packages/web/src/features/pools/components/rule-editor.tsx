import { Button, Col, Empty, Form, InputNumber, Row, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FormRule } from 'antd';
import {
  poolEntities,
  poolRuleBody,
  poolRuleKinds,
  poolRuleKindsOf,
  type PoolEntity,
  type PoolRuleKind,
} from '@tide/contract';
import { schemaRule } from '../../../lib/form-rules.ts';

/** One row of the editor; numbers are null while their input is empty. */
export interface RuleValues {
  entity: PoolEntity;
  kind: PoolRuleKind | undefined;
  days: number | null;
  warnDays: number | null;
  enabled: boolean;
}

/** The contract's limit on rules per pool. */
export const MAX_RULES = 20;

/** The first kind of the record type that no row uses yet, so a new row is valid at once. */
function unusedKind(entity: PoolEntity, rows: readonly RuleValues[]): PoolRuleKind | undefined {
  return poolRuleKindsOf[entity].find(
    (kind) => !rows.some((r) => r.entity === entity && r.kind === kind),
  );
}

export function newRule(rows: readonly RuleValues[]): RuleValues {
  const entity = poolEntities.find((e) => unusedKind(e, rows) !== undefined) ?? 'lead';
  return { entity, kind: unusedKind(entity, rows), days: 30, warnDays: 3, enabled: true };
}

function isEntity(value: unknown): value is PoolEntity {
  return poolEntities.some((e) => e === value);
}

function isKind(value: unknown): value is PoolRuleKind {
  return poolRuleKinds.some((k) => k === value);
}

/**
 * 回收规则: rows of record type, rule kind (only those that apply to the type), days,
 * warning days and a switch. Checks in the browser what the contract checks, so the
 * server's refusal is the exception: the kind must fit the type, one row per type and
 * kind (the database keeps them unique), and the warning comes before the drop.
 */
export function RuleEditor() {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const watched: unknown = Form.useWatch('rules', form);
  const rows: RuleValues[] = Array.isArray(watched) ? (watched as RuleValues[]) : [];
  const testId = (index: number, part: string) => `pool-rule-${String(index)}-${part}`;

  const kindRules = (index: number): FormRule[] => [
    { required: true, message: t('pools.validation.kindRequired') },
    ({ getFieldValue }) => ({
      validator: (_rule, value: unknown) => {
        const entity: unknown = getFieldValue(['rules', index, 'entity']);
        if (!isEntity(entity) || !isKind(value)) return Promise.resolve();
        if (!poolRuleKindsOf[entity].includes(value))
          return Promise.reject(new Error(t('pools.validation.kindNotApplicable')));
        const all: unknown = getFieldValue('rules');
        const list = Array.isArray(all) ? (all as RuleValues[]) : [];
        const twice = list.some((r, i) => i !== index && r.entity === entity && r.kind === value);
        return twice
          ? Promise.reject(new Error(t('pools.validation.duplicateRule')))
          : Promise.resolve();
      },
    }),
  ];

  const warnRules = (index: number): FormRule[] => [
    { required: true, message: t('pools.validation.warnDays') },
    schemaRule(poolRuleBody.shape.warnDays, t('pools.validation.warnDays')),
    ({ getFieldValue }) => ({
      validator: (_rule, value: unknown) => {
        const days: unknown = getFieldValue(['rules', index, 'days']);
        return typeof value === 'number' && typeof days === 'number' && value >= days
          ? Promise.reject(new Error(t('pools.validation.warnBeforeDrop')))
          : Promise.resolve();
      },
    }),
  ];

  return (
    <Form.List name="rules">
      {(fields, { add, remove }) => (
        <div data-testid="pool-rules">
          {fields.length === 0 ? (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={t('pools.form.noRules')}
              style={{ marginBlock: 8 }}
            />
          ) : (
            <Row gutter={8} style={{ marginBottom: 4 }}>
              <Col span={5}>
                <Typography.Text type="secondary">{t('pools.rule.entity')}</Typography.Text>
              </Col>
              <Col span={6}>
                <Typography.Text type="secondary">{t('pools.rule.kind')}</Typography.Text>
              </Col>
              <Col span={5}>
                <Typography.Text type="secondary">{t('pools.rule.days')}</Typography.Text>
              </Col>
              <Col span={5}>
                <Typography.Text type="secondary">{t('pools.rule.warnDays')}</Typography.Text>
              </Col>
              <Col span={3}>
                <Typography.Text type="secondary">{t('pools.rule.enabled')}</Typography.Text>
              </Col>
            </Row>
          )}
          {fields.map(({ key, name }) => {
            const entity = rows[name]?.entity ?? 'lead';
            return (
              <Row key={key} gutter={8} align="top" data-testid={testId(name, 'row')}>
                <Col span={5}>
                  <Form.Item name={[name, 'entity']}>
                    <Select<PoolEntity>
                      data-testid={testId(name, 'entity')}
                      aria-label={t('pools.rule.entity')}
                      options={poolEntities.map((e) => ({
                        value: e,
                        label: t(`pools.entities.${e}`),
                      }))}
                      onChange={(next) => {
                        // A kind of the other type would never apply: offer a fitting one.
                        const kind = rows[name]?.kind;
                        if (kind === undefined || !poolRuleKindsOf[next].includes(kind)) {
                          const others = rows.filter((_r, i) => i !== name);
                          form.setFieldValue(['rules', name, 'kind'], unusedKind(next, others));
                        }
                      }}
                    />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item
                    name={[name, 'kind']}
                    rules={kindRules(name)}
                    dependencies={[['rules', name, 'entity']]}
                  >
                    <Select<PoolRuleKind>
                      data-testid={testId(name, 'kind')}
                      aria-label={t('pools.rule.kind')}
                      placeholder={t('pools.rule.kind')}
                      options={poolRuleKindsOf[entity].map((k) => ({
                        value: k,
                        label: t(`pools.ruleKinds.${k}`),
                      }))}
                    />
                  </Form.Item>
                </Col>
                <Col span={5}>
                  <Form.Item
                    name={[name, 'days']}
                    rules={[
                      { required: true, message: t('pools.validation.days') },
                      schemaRule(poolRuleBody.shape.days, t('pools.validation.days')),
                    ]}
                  >
                    <InputNumber<number>
                      data-testid={testId(name, 'days')}
                      aria-label={t('pools.rule.days')}
                      precision={0}
                      suffix={t('pools.rule.daysUnit')}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                </Col>
                <Col span={5}>
                  <Form.Item
                    name={[name, 'warnDays']}
                    rules={warnRules(name)}
                    dependencies={[['rules', name, 'days']]}
                  >
                    <InputNumber<number>
                      data-testid={testId(name, 'warn-days')}
                      aria-label={t('pools.rule.warnDays')}
                      precision={0}
                      suffix={t('pools.rule.daysUnit')}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                </Col>
                <Col span={2}>
                  <Form.Item name={[name, 'enabled']} valuePropName="checked">
                    <Switch
                      size="small"
                      data-testid={testId(name, 'enabled')}
                      aria-label={t('pools.rule.enabled')}
                    />
                  </Form.Item>
                </Col>
                <Col span={1}>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('pools.rule.remove')}
                    data-testid={testId(name, 'remove')}
                    onClick={() => {
                      remove(name);
                    }}
                  />
                </Col>
              </Row>
            );
          })}
          <Button
            type="dashed"
            block
            icon={<PlusOutlined />}
            disabled={fields.length >= MAX_RULES}
            data-testid="pool-rule-add"
            onClick={() => {
              add(newRule(rows));
            }}
          >
            {t('pools.form.addRule')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
