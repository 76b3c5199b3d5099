import { Flex, Spin } from 'antd';
import { useTranslation } from 'react-i18next';

/** Placeholder while a page or a panel loads. */
export function Loading({ height = 240 }: { height?: number | string }) {
  const { t } = useTranslation();
  return (
    <Flex align="center" justify="center" style={{ minHeight: height }}>
      <Spin description={t('common.loading')} />
    </Flex>
  );
}
