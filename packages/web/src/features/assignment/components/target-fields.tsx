import { Form, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { OrgNodeSelect } from '../../../components/pickers/org-node-select.tsx';
import { UserMultiSelect } from './user-multi-select.tsx';

/** Who records are shared among: named reps, or the people of a team and its sub-teams. */
export type TargetKind = 'users' | 'node';

export interface TargetValues {
  target: TargetKind;
  userIds?: string[];
  nodeId?: string;
}

/** The contract's target: the reps, or their team; never both. */
export function toTarget(values: TargetValues): { userIds: string[]; nodeId: string | null } {
  return values.target === 'node'
    ? { userIds: [], nodeId: values.nodeId ?? null }
    : { userIds: values.userIds ?? [], nodeId: null };
}

function TeamPicker(props: { value?: string; onChange?: (value: string) => void; id?: string }) {
  return (
    <div data-testid="target-node">
      <OrgNodeSelect {...props} />
    </div>
  );
}

/** The target's fields, inside a form holding `TargetValues`. */
export function TargetFields() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<TargetValues>();
  const target = (Form.useWatch('target', form) as TargetKind | undefined) ?? 'users';
  return (
    <>
      <Form.Item name="target" label={t('assignment.target.label')}>
        <Radio.Group
          optionType="button"
          options={(['users', 'node'] as const).map((kind) => ({
            value: kind,
            label: (
              <span data-testid={`target-kind-${kind}`}>{t(`assignment.target.${kind}`)}</span>
            ),
          }))}
        />
      </Form.Item>
      {target === 'node' ? (
        <Form.Item
          name="nodeId"
          label={t('assignment.target.node')}
          extra={t('assignment.target.nodeHint')}
          rules={[{ required: true, message: t('assignment.target.nodeRequired') }]}
        >
          <TeamPicker />
        </Form.Item>
      ) : (
        <Form.Item
          name="userIds"
          label={t('assignment.target.users')}
          rules={[
            {
              required: true,
              type: 'array',
              min: 1,
              message: t('assignment.target.usersRequired'),
            },
          ]}
        >
          <UserMultiSelect
            testId="target-users"
            placeholder={t('assignment.target.usersPlaceholder')}
          />
        </Form.Item>
      )}
    </>
  );
}
