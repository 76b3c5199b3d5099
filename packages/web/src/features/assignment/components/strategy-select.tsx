import { Flex, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { assignmentStrategies, type AssignmentStrategy } from '@tide/contract';

interface StrategySelectProps {
  value?: AssignmentStrategy;
  onChange?: (value: AssignmentStrategy) => void;
  id?: string;
  testId?: string;
}

/** The five ways of sharing records out, each with one line on what it does. */
export function StrategySelect({ value, onChange, id, testId }: StrategySelectProps) {
  const { t } = useTranslation();
  return (
    <Select<AssignmentStrategy>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      data-testid={testId}
      style={{ width: '100%' }}
      options={assignmentStrategies.map((s) => ({
        value: s,
        label: t(`assignment.strategies.${s}.name`),
      }))}
      optionRender={(option) => (
        <Flex vertical data-testid={`strategy-option-${String(option.value)}`}>
          <span>{option.label}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'normal' }}>
            {t(`assignment.strategies.${option.value as AssignmentStrategy}.hint`)}
          </Typography.Text>
        </Flex>
      )}
    />
  );
}

/** The chosen strategy's explanation, under the field. */
export function StrategyHint({ strategy }: { strategy: AssignmentStrategy | undefined }) {
  const { t } = useTranslation();
  return (
    <span data-testid="strategy-hint">
      {strategy ? `${t(`assignment.strategies.${strategy}.hint`)} ` : ''}
      {t('assignment.strategyRespects')}
    </span>
  );
}
