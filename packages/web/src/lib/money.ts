/** Amounts are in yuan (CNY) with two decimals; shown with thousands separators. */
export function formatAmount(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `¥${value.toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;
}
