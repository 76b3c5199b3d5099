import { sql } from 'drizzle-orm';
import type { LeadStatus } from '@tide/contract';
import type { Tx } from '../platform/db.ts';
import { creditCodeCheckChar } from '../modules/normalize/identity.ts';
import { customerNormalised, leadNormalised, pgTextArray } from '../modules/dedupe/normalised.ts';

/**
 * The demo company's sales data: leads in every status, customers with
 * contacts and opportunities, six months of follow-ups. Plausible Chinese
 * companies and people, valid phones, real streets of the teams' cities.
 * Deterministic: the same seed gives the same data.
 */

export interface DemoTeam {
  cityCode: string;
  managerId: string;
  repIds: string[];
}

export const demoVolumes = {
  leads: 5000,
  customers: 2000,
  contacts: 3000,
  opportunities: 1500,
  followUps: 20000,
} as const;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cities: Record<string, { name: string; districts: [string, string[]][] }> = {
  '310100': {
    name: '上海市',
    districts: [
      ['浦东新区', ['张江路', '世纪大道', '陆家嘴环路', '川沙路']],
      ['徐汇区', ['漕溪北路', '肇嘉浜路', '宜山路']],
      ['闵行区', ['七莘路', '莘庄工业区春东路']],
    ],
  },
  '330100': {
    name: '杭州市',
    districts: [
      ['西湖区', ['文三路', '天目山路', '古墩路']],
      ['滨江区', ['江南大道', '网商路', '长河路']],
      ['余杭区', ['文一西路', '五常大道']],
    ],
  },
  '320100': {
    name: '南京市',
    districts: [
      ['鼓楼区', ['中山北路', '湖南路', '广州路']],
      ['江宁区', ['双龙大道', '天元中路']],
      ['建邺区', ['江东中路', '应天大街']],
    ],
  },
  '440100': {
    name: '广州市',
    districts: [
      ['天河区', ['天河路', '体育西路', '黄埔大道西']],
      ['越秀区', ['环市东路', '东风中路']],
      ['番禺区', ['市桥大道', '汉溪大道']],
    ],
  },
  '440300': {
    name: '深圳市',
    districts: [
      ['南山区', ['科技南十二路', '深南大道', '高新南一道']],
      ['福田区', ['福华三路', '深南中路', '益田路']],
      ['宝安区', ['宝安大道', '新湖路']],
    ],
  },
  '110100': {
    name: '北京市',
    districts: [
      ['海淀区', ['中关村大街', '知春路', '学院路']],
      ['朝阳区', ['建国路', '东三环北路', '望京街']],
      ['丰台区', ['南四环西路', '丰台北路']],
    ],
  },
  '120100': {
    name: '天津市',
    districts: [
      ['和平区', ['南京路', '滨江道']],
      ['南开区', ['鞍山西道', '白堤路']],
      ['滨海新区', ['第三大街', '洞庭路']],
    ],
  },
};
const cityShort: Record<string, string> = {
  '310100': '上海',
  '330100': '杭州',
  '320100': '南京',
  '440100': '广州',
  '440300': '深圳',
  '110100': '北京',
  '120100': '天津',
};

const brandChars =
  '华信达盛恒泰宏远鑫瑞丰博创新源海天中安金正德嘉隆荣兴美联凯明光润佳和腾飞星宇东方汇通祥云锦泽晟睿智诚启航'.split(
    '',
  );
const industries = [
  '科技',
  '网络科技',
  '信息技术',
  '贸易',
  '电子',
  '机械设备',
  '物流',
  '建材',
  '医疗器械',
  '食品',
  '环保科技',
  '新材料',
  '文化传媒',
  '餐饮管理',
  '汽车配件',
  '服饰',
  '智能制造',
  '生物科技',
];
const suffixes = ['有限公司', '有限公司', '有限公司', '股份有限公司', '有限责任公司'];
const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛'.split(
    '',
  );
const given = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '志强',
  '海燕',
  '晓东',
  '丹丹',
  '俊杰',
  '雪梅',
  '宇航',
  '文博',
  '思远',
  '佳怡',
  '子豪',
  '梦瑶',
  '嘉欣',
];
const titles = [
  '总经理',
  '采购经理',
  '副总',
  '技术总监',
  '财务',
  '行政主管',
  '项目经理',
  '董事长',
  '运营总监',
];
const sources = ['官网', '展会', '转介绍', '电话营销', '广告投放', '渠道伙伴'];
const sizes = ['1-20人', '21-100人', '101-500人', '500人以上'];
const mobilePrefixes = [
  '130',
  '131',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '158',
  '159',
  '177',
  '180',
  '186',
  '187',
  '188',
  '189',
  '199',
];
const leadStatusWeights: [LeadStatus, number][] = [
  ['unassigned', 25],
  ['pending', 15],
  ['following', 30],
  ['invalid', 10],
  ['converted', 15],
  ['voided', 5],
];
const followUpTypes = [
  'call',
  'call',
  'call',
  'wechat',
  'wechat',
  'visit',
  'email',
  'meeting',
] as const;
const callNotes = [
  '电话沟通，客户对产品有兴趣，约下周详谈',
  '客户在外出差，约定周五再联系',
  '已发送产品资料，等待反馈',
  '客户表示预算紧张，年后再议',
  '确认采购负责人和决策流程',
  '上门拜访，演示了系统功能',
  '微信沟通报价细节',
  '客户要求提供案例和资质文件',
  '对方已有供应商，需找切入点',
  '约好到公司参观',
];
const results = ['有意向', '待跟进', '需报价', '无人接听', '暂无需求', null];

const DAY = 86_400_000;

export async function seedDemoRecords(
  tx: Tx,
  tenantId: string,
  poolId: string,
  teams: DemoTeam[],
  seed = 20261124,
): Promise<typeof demoVolumes> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const now = Date.now();
  const past = (days: number) => new Date(now - Math.floor(r() * days * DAY));
  const mobile = () => `${pick(mobilePrefixes)}${String(Math.floor(r() * 1e8)).padStart(8, '0')}`;
  const person = () => pick(surnames) + pick(given);
  const used = new Set<string>();
  const company = (city: string) => {
    for (;;) {
      const name = `${cityShort[city] ?? ''}${pick(brandChars)}${pick(brandChars)}${pick(industries)}${pick(suffixes)}`;
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };
  const address = (city: string) => {
    const c = cities[city];
    if (!c) return null;
    const [district, streets] = pick(c.districts);
    return `${c.name}${district}${pick(streets)}${1 + Math.floor(r() * 999)}号`;
  };
  const creditCode = (city: string) => {
    const body = `91${city}${Array.from({ length: 9 }, () => pick('0123456789ABCDEFGHJKLMNPQRTUWXY'.split(''))).join('')}`;
    return body + (creditCodeCheckChar(body) ?? '0');
  };
  const statusOf = (): LeadStatus => {
    let x = r() * 100;
    for (const [s, w] of leadStatusWeights) if ((x -= w) < 0) return s;
    return 'following';
  };
  /** Bulk insert through unnest; `casts` turns a text column into its real type (text[] tags). */
  const insert = async (
    table: string,
    columns: string[],
    types: string[],
    rows: unknown[][],
    casts: Record<string, string> = {},
  ) => {
    const select = columns.map((c) => (casts[c] ? `u.${c}::${casts[c]}` : `u.${c}`)).join(', ');
    for (let i = 0; i < rows.length; i += 2000) {
      const chunk = rows.slice(i, i + 2000);
      const arrays = columns.map((_, ci) => chunk.map((row) => row[ci] ?? null));
      // sql.param binds each array as one parameter (a plain array would expand into a list).
      const params = types.map((t, ci) => sql`${sql.param(arrays[ci])}::${sql.raw(t)}[]`);
      await tx.execute(
        sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns.join(', '))}) SELECT ${sql.raw(select)} FROM unnest(${sql.join(params, sql`, `)}) AS u (${sql.raw(columns.join(', '))})`,
      );
    }
  };
  const uuid = () => crypto.randomUUID();

  // Customers, their contacts and opportunities.
  const customerRows: unknown[][] = [];
  const customerInfo: { id: string; owner: string | null; city: string; name: string }[] = [];
  for (let i = 0; i < demoVolumes.customers; i++) {
    const team = pick(teams);
    const isPublic = r() < 0.15;
    const owner = isPublic ? null : pick([...team.repIds, team.managerId]);
    const isPerson = r() < 0.1;
    const name = isPerson ? person() : company(team.cityCode);
    const raw = {
      name,
      phone: isPerson ? mobile() : mobile(),
      address: address(team.cityCode),
      creditCode: isPerson ? null : r() < 0.6 ? creditCode(team.cityCode) : null,
    };
    const n = customerNormalised(raw);
    const id = uuid();
    const created = past(180);
    customerInfo.push({ id, owner, city: team.cityCode, name });
    customerRows.push([
      id,
      tenantId,
      isPerson ? 'person' : 'company',
      name,
      raw.creditCode,
      raw.phone,
      n.phoneE164,
      pick(industries),
      isPerson ? null : pick(sizes),
      raw.address,
      n.provinceCode,
      n.cityCode,
      n.districtCode,
      n.addressDetail,
      n.addressNormalized,
      n.nameFolded,
      n.nameCore,
      n.namePinyin,
      pgTextArray(n.nameKeys ?? null),
      n.namePlace,
      n.nameBranch,
      pick(sources),
      owner,
      poolId,
      owner ? created : null,
      created,
      created,
      pick(['high', 'mid', 'mid', 'low', 'low', null]),
      r() < 0.2 ? '{重点客户}' : '{}',
    ]);
  }
  await insert(
    'customers',
    [
      'id',
      'tenant_id',
      'kind',
      'name',
      'credit_code',
      'phone',
      'phone_e164',
      'industry',
      'size',
      'address',
      'province_code',
      'city_code',
      'district_code',
      'address_detail',
      'address_normalized',
      'name_folded',
      'name_core',
      'name_pinyin',
      'name_keys',
      'name_place',
      'name_branch',
      'source',
      'owner_id',
      'pool_id',
      'claimed_at',
      'created_at',
      'updated_at',
      'value_tier',
      'tags',
    ],
    [
      'uuid',
      'uuid',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'uuid',
      'uuid',
      'timestamptz',
      'timestamptz',
      'timestamptz',
      'text',
      'text',
    ],
    customerRows,
    { tags: 'text[]', name_keys: 'text[]' },
  );

  const contactRows: unknown[][] = [];
  for (let i = 0; i < demoVolumes.contacts; i++) {
    const c = i < customerInfo.length ? customerInfo[i] : pick(customerInfo);
    if (!c) continue;
    const phone = mobile();
    const created = past(180);
    contactRows.push([
      uuid(),
      tenantId,
      c.id,
      person(),
      pick(titles),
      phone,
      `+86${phone}`,
      r() < 0.3 ? `${Math.floor(r() * 1e4)}@example.com` : null,
      created,
      created,
    ]);
  }
  await insert(
    'contacts',
    [
      'id',
      'tenant_id',
      'customer_id',
      'name',
      'title',
      'phone',
      'phone_e164',
      'email',
      'created_at',
      'updated_at',
    ],
    ['uuid', 'uuid', 'uuid', 'text', 'text', 'text', 'text', 'text', 'timestamptz', 'timestamptz'],
    contactRows,
  );

  const stages: [string, number, 'open' | 'won' | 'lost'][] = [
    ['initial', 10, 'open'],
    ['intent', 30, 'open'],
    ['proposal', 60, 'open'],
    ['negotiation', 80, 'open'],
    ['won', 100, 'won'],
    ['lost', 0, 'lost'],
  ];
  const owned = customerInfo.filter((c) => c.owner);
  const oppRows: unknown[][] = [];
  const historyRows: unknown[][] = [];
  for (let i = 0; i < demoVolumes.opportunities; i++) {
    const c = pick(owned);
    const [stage, probability, outcome] = pick(stages);
    const id = uuid();
    const created = past(180);
    const closed =
      outcome === 'open'
        ? null
        : new Date(Math.min(now, created.getTime() + Math.floor(r() * 60) * DAY));
    const close = new Date(created.getTime() + (30 + Math.floor(r() * 120)) * DAY)
      .toISOString()
      .slice(0, 10);
    oppRows.push([
      id,
      tenantId,
      c.id,
      `${pick(['年度采购', '系统升级', '设备更新', '框架合作', '试点项目', '扩容'])}项目`,
      Math.round(r() * 2000) * 500,
      close,
      stage,
      probability,
      outcome,
      outcome === 'lost' ? pick(['价格偏高', '选择了竞品', '预算取消', '需求变更']) : null,
      closed,
      c.owner,
      created,
      closed ?? created,
    ]);
    historyRows.push([uuid(), tenantId, id, null, 'initial', c.owner, created]);
    if (stage !== 'initial')
      historyRows.push([
        uuid(),
        tenantId,
        id,
        'initial',
        stage,
        c.owner,
        closed ?? new Date(created.getTime() + DAY),
      ]);
  }
  await insert(
    'opportunities',
    [
      'id',
      'tenant_id',
      'customer_id',
      'name',
      'amount',
      'expected_close_date',
      'stage_key',
      'probability',
      'status',
      'lost_reason',
      'closed_at',
      'owner_id',
      'created_at',
      'updated_at',
    ],
    [
      'uuid',
      'uuid',
      'uuid',
      'text',
      'numeric',
      'date',
      'text',
      'int',
      'text',
      'text',
      'timestamptz',
      'uuid',
      'timestamptz',
      'timestamptz',
    ],
    oppRows,
  );
  await insert(
    'opportunity_stage_history',
    ['id', 'tenant_id', 'opportunity_id', 'from_stage', 'to_stage', 'actor_id', 'at'],
    ['uuid', 'uuid', 'uuid', 'text', 'text', 'uuid', 'timestamptz'],
    historyRows,
  );

  // Leads in every status; converted ones point at a customer of their owner's team.
  const leadRows: unknown[][] = [];
  const handoverRows: unknown[][] = [];
  const worked: { id: string; owner: string; created: Date }[] = [];
  for (let i = 0; i < demoVolumes.leads; i++) {
    const team = pick(teams);
    const status = statusOf();
    const owner = status === 'unassigned' ? null : pick([...team.repIds, team.managerId]);
    const raw = {
      company: company(team.cityCode),
      phone: mobile(),
      address: address(team.cityCode),
    };
    const n = leadNormalised(raw);
    const id = uuid();
    const created = past(180);
    const convertedTo =
      status === 'converted' ? (customerInfo.find((c) => c.owner === owner) ?? null) : null;
    leadRows.push([
      id,
      tenantId,
      raw.company,
      person(),
      raw.phone,
      n.phoneE164,
      raw.address,
      n.provinceCode,
      n.cityCode,
      n.districtCode,
      n.companyFolded,
      n.companyCore,
      pick(sources),
      status,
      owner,
      poolId,
      owner ? created : null,
      status === 'invalid' ? pick(['空号', '暂无需求', '联系不上']) : null,
      status === 'voided' ? '虚假信息' : null,
      status === 'voided' ? 'following' : null,
      convertedTo?.id ?? null,
      convertedTo ? created : null,
      created,
      created,
    ]);
    handoverRows.push([
      uuid(),
      tenantId,
      'lead',
      id,
      owner ? 'claim' : 'create',
      null,
      owner,
      poolId,
      created,
    ]);
    if (owner && status !== 'pending' && status !== 'voided') worked.push({ id, owner, created });
  }
  await insert(
    'leads',
    [
      'id',
      'tenant_id',
      'company',
      'contact_name',
      'phone',
      'phone_e164',
      'address',
      'province_code',
      'city_code',
      'district_code',
      'company_folded',
      'company_core',
      'source',
      'status',
      'owner_id',
      'pool_id',
      'claimed_at',
      'invalid_reason',
      'void_reason',
      'status_before_void',
      'converted_customer_id',
      'converted_at',
      'created_at',
      'updated_at',
    ],
    [
      'uuid',
      'uuid',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'text',
      'uuid',
      'uuid',
      'timestamptz',
      'text',
      'text',
      'text',
      'uuid',
      'timestamptz',
      'timestamptz',
      'timestamptz',
    ],
    leadRows,
  );
  for (const c of customerInfo)
    handoverRows.push([
      uuid(),
      tenantId,
      'customer',
      c.id,
      c.owner ? 'claim' : 'create',
      null,
      c.owner,
      poolId,
      past(180),
    ]);
  await insert(
    'handovers',
    [
      'id',
      'tenant_id',
      'entity',
      'entity_id',
      'action',
      'from_user_id',
      'to_user_id',
      'pool_id',
      'at',
    ],
    ['uuid', 'uuid', 'text', 'uuid', 'text', 'uuid', 'uuid', 'uuid', 'timestamptz'],
    handoverRows,
  );

  // Six months of follow-ups on worked leads, owned customers and opportunities; a few plans ahead.
  const fuRows: unknown[][] = [];
  const oppOwners = oppRows.map((o) => ({ id: o[0] as string, owner: o[11] as string }));
  for (let i = 0; i < demoVolumes.followUps; i++) {
    const x = r();
    const [type, id, author] =
      x < 0.45
        ? (() => {
            const l = pick(worked);
            return ['lead', l.id, l.owner] as const;
          })()
        : x < 0.85
          ? (() => {
              const c = pick(owned);
              return ['customer', c.id, c.owner ?? ''] as const;
            })()
          : (() => {
              const o = pick(oppOwners);
              return ['opportunity', o.id, o.owner] as const;
            })();
    const at = past(180);
    const plan = r() < 0.15 ? new Date(now + Math.floor((r() * 20 - 5) * DAY)) : null;
    fuRows.push([
      uuid(),
      tenantId,
      type,
      id,
      author,
      pick(followUpTypes),
      pick(callNotes),
      pick(results),
      plan,
      at,
    ]);
  }
  await insert(
    'follow_ups',
    [
      'id',
      'tenant_id',
      'entity_type',
      'entity_id',
      'author_id',
      'type',
      'content',
      'result',
      'next_at',
      'created_at',
    ],
    ['uuid', 'uuid', 'text', 'uuid', 'uuid', 'text', 'text', 'text', 'timestamptz', 'timestamptz'],
    fuRows,
  );
  await tx.execute(sql`
    UPDATE leads l SET last_follow_up_at = f.last FROM (
      SELECT entity_id, max(created_at) AS last FROM follow_ups WHERE tenant_id = ${tenantId} AND entity_type = 'lead' GROUP BY entity_id) f
     WHERE l.id = f.entity_id`);
  await tx.execute(sql`
    UPDATE customers c SET last_follow_up_at = f.last FROM (
      SELECT entity_id, max(created_at) AS last FROM follow_ups WHERE tenant_id = ${tenantId} AND entity_type = 'customer' GROUP BY entity_id) f
     WHERE c.id = f.entity_id`);
  await tx.execute(sql`
    INSERT INTO audit_log (tenant_id, actor_id, entity, entity_id, action, changes, at)
    SELECT tenant_id, NULL::uuid, 'lead', id::text, 'create', jsonb_build_object('source', jsonb_build_object('before', NULL, 'after', 'demo data')), created_at
      FROM leads WHERE tenant_id = ${tenantId}
    UNION ALL
    SELECT tenant_id, NULL::uuid, 'customer', id::text, 'create', jsonb_build_object('source', jsonb_build_object('before', NULL, 'after', 'demo data')), created_at
      FROM customers WHERE tenant_id = ${tenantId}`);
  return demoVolumes;
}
