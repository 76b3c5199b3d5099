import type {
  Contact,
  Customer,
  CustomerKind,
  ExportLanguage,
  Lead,
  LeadStatus,
  Opportunity,
  OpportunityStatus,
} from '@tide/contract';

/**
 * The columns of each export: a header in both languages and how to read the cell
 * from the record as the list answers it. Codes (statuses, kinds) are written as
 * the words the UI shows; ids stay so a file can be matched back to the records.
 */

/** How a cell is written: times and dates get the tenant's time zone and date cells. */
export type CellKind = 'text' | 'number' | 'datetime' | 'date';
export type CellValue = string | number | null;

export interface ExportColumn<T> {
  header: Record<ExportLanguage, string>;
  kind: CellKind;
  /** Width in characters for the .xlsx sheet. */
  width: number;
  value: (row: T, lang: ExportLanguage) => CellValue;
}

type Labels<K extends string> = Record<ExportLanguage, Record<K, string>>;

const leadStatusLabels: Labels<LeadStatus> = {
  'zh-CN': {
    unassigned: '未分配',
    pending: '待处理',
    following: '跟进中',
    invalid: '无效',
    converted: '已转换',
    voided: '已作废',
  },
  en: {
    unassigned: 'Unassigned',
    pending: 'Pending',
    following: 'Following',
    invalid: 'Invalid',
    converted: 'Converted',
    voided: 'Voided',
  },
};

const customerKindLabels: Labels<CustomerKind> = {
  'zh-CN': { company: '企业', person: '个人' },
  en: { company: 'Company', person: 'Person' },
};

const poolStateLabels: Labels<Customer['poolState']> = {
  'zh-CN': { private: '私海', public: '公海' },
  en: { private: 'Private', public: 'Public pool' },
};

const valueTierLabels: Labels<NonNullable<Customer['valueTier']>> = {
  'zh-CN': { high: '高', mid: '中', low: '低' },
  en: { high: 'High', mid: 'Medium', low: 'Low' },
};

const opportunityStatusLabels: Labels<OpportunityStatus> = {
  'zh-CN': { open: '进行中', won: '赢单', lost: '输单' },
  en: { open: 'Open', won: 'Won', lost: 'Lost' },
};

function text<T>(
  zh: string,
  en: string,
  value: (row: T, lang: ExportLanguage) => CellValue,
  width = 16,
): ExportColumn<T> {
  return { header: { 'zh-CN': zh, en }, kind: 'text', width, value };
}

function datetime<T>(zh: string, en: string, value: (row: T) => string | null): ExportColumn<T> {
  return { header: { 'zh-CN': zh, en }, kind: 'datetime', width: 20, value };
}

function idColumn<T extends { id: string }>(): ExportColumn<T> {
  return text('ID', 'ID', (r) => r.id, 38);
}

export const leadColumns: readonly ExportColumn<Lead>[] = [
  idColumn(),
  text('公司', 'Company', (r) => r.company, 30),
  text('联系人', 'Contact', (r) => r.contactName),
  text('电话', 'Phone', (r) => r.phone),
  text('邮箱', 'Email', (r) => r.email, 24),
  text('地址', 'Address', (r) => r.address, 36),
  text('来源', 'Source', (r) => r.source),
  text('状态', 'Status', (r, lang) => leadStatusLabels[lang][r.status], 10),
  text('负责人', 'Owner', (r) => r.ownerName),
  datetime('最近跟进', 'Last follow-up', (r) => r.lastFollowUpAt),
  datetime('领取时间', 'Claimed', (r) => r.claimedAt),
  text('无效原因', 'Invalid because', (r) => r.invalidReason, 20),
  text('作废原因', 'Voided because', (r) => r.voidReason, 20),
  datetime('创建时间', 'Created', (r) => r.createdAt),
  datetime('更新时间', 'Updated', (r) => r.updatedAt),
];

/** The recycle bin's leads also say when they were deleted. */
export const deletedLeadColumns: readonly ExportColumn<Lead>[] = [
  ...leadColumns,
  datetime('删除时间', 'Deleted', (r) => r.deletedAt),
];

export const customerColumns: readonly ExportColumn<Customer>[] = [
  idColumn(),
  text('名称', 'Name', (r) => r.name, 30),
  text('类型', 'Type', (r, lang) => customerKindLabels[lang][r.kind], 8),
  text('统一社会信用代码', 'Unified social credit code', (r) => r.creditCode, 22),
  text('电话', 'Phone', (r) => r.phone),
  text('行业', 'Industry', (r) => r.industry),
  text('规模', 'Size', (r) => r.size),
  text('地址', 'Address', (r) => r.address, 36),
  text('来源', 'Source', (r) => r.source),
  text('标签', 'Tags', (r) => r.tags.join('; '), 20),
  text(
    '价值等级',
    'Value tier',
    (r, lang) => (r.valueTier ? valueTierLabels[lang][r.valueTier] : null),
    10,
  ),
  text('生命周期阶段', 'Lifecycle stage', (r) => r.lifecycleStage),
  text('公海/私海', 'Pool state', (r, lang) => poolStateLabels[lang][r.poolState], 10),
  text('负责人', 'Owner', (r) => r.ownerName),
  datetime('最近跟进', 'Last follow-up', (r) => r.lastFollowUpAt),
  datetime('领取时间', 'Claimed at', (r) => r.claimedAt),
  datetime('创建时间', 'Created', (r) => r.createdAt),
  datetime('更新时间', 'Updated', (r) => r.updatedAt),
];

export const contactColumns: readonly ExportColumn<Contact>[] = [
  idColumn(),
  text('姓名', 'Name', (r) => r.name),
  text('客户', 'Customer', (r) => r.customerName, 30),
  text('职务', 'Title', (r) => r.title),
  text('电话', 'Phone', (r) => r.phone),
  text('邮箱', 'Email', (r) => r.email, 24),
  text('微信', 'WeChat', (r) => r.wechat),
  {
    header: { 'zh-CN': '生日', en: 'Birthday' },
    kind: 'date',
    width: 12,
    value: (r) => r.birthday,
  },
  text('偏好', 'Preferences', (r) => r.preferences, 30),
  datetime('创建时间', 'Created', (r) => r.createdAt),
  datetime('更新时间', 'Updated', (r) => r.updatedAt),
];

export const opportunityColumns: readonly ExportColumn<Opportunity>[] = [
  idColumn(),
  text('商机名称', 'Name', (r) => r.name, 30),
  text('客户', 'Customer', (r) => r.customerName, 30),
  { header: { 'zh-CN': '金额', en: 'Amount' }, kind: 'number', width: 14, value: (r) => r.amount },
  text('阶段', 'Stage', (r) => r.stageName, 12),
  {
    header: { 'zh-CN': '赢率(%)', en: 'Probability (%)' },
    kind: 'number',
    width: 10,
    value: (r) => r.probability,
  },
  text('状态', 'Status', (r, lang) => opportunityStatusLabels[lang][r.status], 10),
  {
    header: { 'zh-CN': '预计成交日期', en: 'Expected close date' },
    kind: 'date',
    width: 14,
    value: (r) => r.expectedCloseDate,
  },
  text('输单原因', 'Lost reason', (r) => r.lostReason, 20),
  datetime('关闭时间', 'Closed at', (r) => r.closedAt),
  text('负责人', 'Owner', (r) => r.ownerName),
  datetime('创建时间', 'Created', (r) => r.createdAt),
  datetime('更新时间', 'Updated', (r) => r.updatedAt),
];
