import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormRules } from '../../../lib/form-rules.ts';

/** The username (fixed once created) and display name every account has, person or service. */
export function AccountNameFields({ editing, testId }: { editing: boolean; testId: string }) {
  const { t } = useTranslation();
  const rules = useFormRules();
  return (
    <>
      <Form.Item
        name="username"
        label={t('users.username')}
        rules={editing ? [] : [rules.requiredTrimmed, rules.username]}
      >
        <Input disabled={editing} autoComplete="off" data-testid={`${testId}-username`} />
      </Form.Item>
      <Form.Item
        name="displayName"
        label={t('users.displayName')}
        rules={[rules.requiredTrimmed, rules.maxLength(80)]}
      >
        <Input data-testid={`${testId}-display-name`} />
      </Form.Item>
    </>
  );
}
