import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '@tide/contract';

export function PoolStateTag({ state }: { state: Customer['poolState'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={state === 'public' ? 'orange' : 'blue'} data-testid="customer-pool-state">
      {t(`customers.poolStates.${state}`)}
    </Tag>
  );
}

export function KindTag({ kind }: { kind: Customer['kind'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={kind === 'company' ? 'geekblue' : 'purple'}>{t(`customers.kinds.${kind}`)}</Tag>
  );
}

export function CustomerTagList({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space size={[0, 4]} wrap>
      {tags.map((tag) => (
        <Tag key={tag}>{tag}</Tag>
      ))}
    </Space>
  );
}

/**
 * Only the owner works a private customer; a manager (who may transfer) may act for
 * them. The server decides; the UI hides buttons that would only be refused.
 */
export function mayWork(
  customer: Pick<Customer, 'ownerId' | 'poolState'>,
  userId: string,
  canTransfer: boolean,
): boolean {
  return customer.poolState === 'private' && (customer.ownerId === userId || canTransfer);
}
