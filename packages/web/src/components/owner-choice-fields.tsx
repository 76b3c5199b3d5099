import { Form, Radio } from 'antd';
import type { OwnerChoice } from '../lib/form-values.ts';
import { UserSelect } from './pickers/user-select.tsx';

export interface OwnerChoiceLabels {
  choice: string;
  keep: string;
  pool: string;
  assign: string;
  assignTo: string;
  required: string;
}

/**
 * The owner of a new lead or customer, for people who may assign: keep it,
 * put it into the public pool, or hand it to a colleague (then chosen here).
 * Reads and writes the form fields `ownerChoice` and `ownerId`.
 */
export function OwnerChoiceFields({
  labels,
  testId,
}: {
  labels: OwnerChoiceLabels;
  testId: string;
}) {
  const form = Form.useFormInstance();
  const choice = Form.useWatch<OwnerChoice | undefined>('ownerChoice', form);
  return (
    <>
      <Form.Item name="ownerChoice" label={labels.choice}>
        <Radio.Group
          data-testid={`${testId}-owner-choice`}
          options={[
            { value: 'keep', label: labels.keep },
            { value: 'pool', label: labels.pool },
            { value: 'assign', label: labels.assign },
          ]}
        />
      </Form.Item>
      {choice === 'assign' ? (
        <Form.Item
          name="ownerId"
          label={labels.assignTo}
          rules={[{ required: true, message: labels.required }]}
        >
          <UserSelect testId={`${testId}-owner`} />
        </Form.Item>
      ) : null}
    </>
  );
}
