/**
 * Word lists for generated Chinese customers. Weights are rough shares of
 * registered enterprises, not exact statistics: what matters for a duplicate
 * check is that the big cities, the common industry words and the popular
 * brand characters dominate, as they do in a real customer table.
 */

export interface CityInfo {
  /** As written in names: 杭州. */
  short: string;
  /** Full province name; for a municipality the municipality itself (北京市). */
  province: string;
  /** Full city name; null for a municipality. */
  city: string | null;
  areaCode: string;
  /** Digits of a local landline number after the area code. */
  localDigits: 7 | 8;
  weight: number;
}

/** Area codes whose local numbers have seven digits in the numbering plan libphonenumber knows. */
const sevenDigitAreas = new Set([
  '0315',
  '0351',
  '0471',
  '0535',
  '0536',
  '0592',
  '0752',
  '0756',
  '0771',
  '0931',
  '0951',
  '0971',
  '0991',
]);

const city = (
  short: string,
  province: string,
  areaCode: string,
  weight: number,
  municipality = false,
): CityInfo => ({
  short,
  province,
  city: municipality ? null : `${short}市`,
  areaCode,
  localDigits: sevenDigitAreas.has(areaCode) ? 7 : 8,
  weight,
});

/** Cities whose districts are in the division data (东莞 and 中山 have towns only: left out). */
export const cities: readonly CityInfo[] = [
  city('上海', '上海市', '021', 100, true),
  city('北京', '北京市', '010', 90, true),
  city('深圳', '广东省', '0755', 110),
  city('广州', '广东省', '020', 80),
  city('重庆', '重庆市', '023', 50, true),
  city('天津', '天津市', '022', 30, true),
  city('成都', '四川省', '028', 60),
  city('杭州', '浙江省', '0571', 60),
  city('苏州', '江苏省', '0512', 55),
  city('武汉', '湖北省', '027', 45),
  city('西安', '陕西省', '029', 40),
  city('南京', '江苏省', '025', 40),
  city('郑州', '河南省', '0371', 40),
  city('长沙', '湖南省', '0731', 35),
  city('青岛', '山东省', '0532', 35),
  city('宁波', '浙江省', '0574', 35),
  city('佛山', '广东省', '0757', 35),
  city('合肥', '安徽省', '0551', 30),
  city('济南', '山东省', '0531', 30),
  city('沈阳', '辽宁省', '024', 25),
  city('昆明', '云南省', '0871', 25),
  city('福州', '福建省', '0591', 25),
  city('温州', '浙江省', '0577', 25),
  city('无锡', '江苏省', '0510', 25),
  city('石家庄', '河北省', '0311', 22),
  city('泉州', '福建省', '0595', 22),
  city('厦门', '福建省', '0592', 20),
  city('南宁', '广西壮族自治区', '0771', 20),
  city('金华', '浙江省', '0579', 20),
  city('哈尔滨', '黑龙江省', '0451', 18),
  city('长春', '吉林省', '0431', 18),
  city('贵阳', '贵州省', '0851', 18),
  city('南昌', '江西省', '0791', 18),
  city('大连', '辽宁省', '0411', 18),
  city('常州', '江苏省', '0519', 18),
  city('太原', '山西省', '0351', 15),
  city('徐州', '江苏省', '0516', 15),
  city('南通', '江苏省', '0513', 15),
  city('绍兴', '浙江省', '0575', 15),
  city('烟台', '山东省', '0535', 12),
  city('嘉兴', '浙江省', '0573', 12),
  city('台州', '浙江省', '0576', 12),
  city('潍坊', '山东省', '0536', 12),
  city('惠州', '广东省', '0752', 12),
  city('乌鲁木齐', '新疆维吾尔自治区', '0991', 10),
  city('兰州', '甘肃省', '0931', 10),
  city('海口', '海南省', '0898', 10),
  city('珠海', '广东省', '0756', 10),
  city('洛阳', '河南省', '0379', 10),
  city('唐山', '河北省', '0315', 10),
  city('扬州', '江苏省', '0514', 9),
  city('呼和浩特', '内蒙古自治区', '0471', 8),
  city('银川', '宁夏回族自治区', '0951', 6),
  city('西宁', '青海省', '0971', 5),
];

/**
 * Characters companies choose for their brand (字号), most popular first: wealth,
 * success and reach (鑫 源 达 盛 华 泰), nature (云 海 森 帆), virtue (信 诚 德).
 * Drawn with Zipf weights, so 华信, 恒达 or 鑫源 come back across cities and
 * industries by the hundred, as in a real registry.
 */
export const brandChars = Array.from(
  new Set(
    Array.from(
      '华信恒达鑫源天成博远云帆创新盛泰德隆金宏海瑞祥丰通安兴嘉联亿佳美和睿汇众锦鼎顺荣立诚腾星宇' +
        '光明耀辉瀚峰亚富康正昌万凯旭晟弘卓越誉尚品优捷迅力豪威润泽霖森林木青山水江河川岳晶玉宝银' +
        '铭君乐家福寿喜吉祺禧永久长合同心协志航飞翔鹏龙凤麒麟虎鹰雁鸿运途畅迪奥派克斯维普朗特蓝红' +
        '绿紫彩虹阳春秋晨曦朝晖旭日月辰宸淼焱垚磊犇伟高升跃振旺发拓进智慧思维聚融贯广域宽厚朴实真' +
        '善仁义礼忠勤俭精工匠艺巧琪琳瑶璟瑜璞琦珑珀翠钰铂钧锐铖镒灿烁炜煜熠烨焕炬曜晔昊昕晓晴暄晗' +
        '景哲聪颖敏灵秀雅韵逸扬舟港湾岛峡谷原野田园农禾穗麦桑梓楠榕樱桃李杏梅兰竹菊荷莲芙蓉芝蕙茂' +
        '荟萃菁英章典颜容悦欣怡然享骏驰捷迈腾朗逸锋锦绣程鸣鼎坤乾元亨利贞道远泓涛浩洋渊澜沣沛滨' +
        '清源溢汇沃野臻致至极尊御贵雄伟毅刚坚固稳固恒久衡平齐全友谊邦国际环宇宙寰球洲际网讯电联' +
        '通百千万兆方圆正东西南北中',
    ),
  ),
);

/** Mostly two characters, as in 华信 and 云帆; three and four are rarer. */
export const brandLengths: readonly (readonly [number, number])[] = [
  [2, 76],
  [3, 17],
  [4, 7],
];

export interface IndustryInfo {
  /** As written in names: 网络科技. */
  word: string;
  /** The customer's industry field. */
  label: string;
  weight: number;
}

const industry = (word: string, label: string, weight: number): IndustryInfo => ({
  word,
  label,
  weight,
});

export const industries: readonly IndustryInfo[] = [
  industry('科技', '科技', 60),
  industry('网络科技', '互联网', 40),
  industry('信息技术', '信息技术', 30),
  industry('电子科技', '电子制造', 20),
  industry('智能科技', '科技', 15),
  industry('软件', '软件', 8),
  industry('数据科技', '信息技术', 5),
  industry('通信技术', '信息技术', 6),
  industry('贸易', '批发零售', 50),
  industry('商贸', '批发零售', 35),
  industry('实业', '制造', 20),
  industry('进出口', '批发零售', 8),
  industry('电子商务', '互联网', 15),
  industry('供应链管理', '交通运输', 8),
  industry('物流', '交通运输', 20),
  industry('运输', '交通运输', 8),
  industry('机械设备', '机械制造', 25),
  industry('电气', '机械制造', 10),
  industry('五金', '制造', 8),
  industry('金属制品', '制造', 6),
  industry('塑料制品', '制造', 5),
  industry('包装材料', '制造', 5),
  industry('化工', '化工', 8),
  industry('新材料', '制造', 8),
  industry('医疗器械', '医疗', 12),
  industry('医药', '医疗', 6),
  industry('生物科技', '医疗', 12),
  industry('健康管理', '医疗', 8),
  industry('餐饮管理', '餐饮', 15),
  industry('食品', '食品', 12),
  industry('农业科技', '农业', 8),
  industry('装饰工程', '建筑装饰', 20),
  industry('建筑工程', '建筑', 15),
  industry('建材', '建筑', 12),
  industry('钢结构', '建筑', 3),
  industry('园林绿化', '建筑', 5),
  industry('市政工程', '建筑', 4),
  industry('房地产开发', '房地产', 5),
  industry('物业管理', '房地产', 8),
  industry('文化传媒', '文化传媒', 20),
  industry('广告', '文化传媒', 10),
  industry('影视文化', '文化传媒', 4),
  industry('教育咨询', '教育', 10),
  industry('教育科技', '教育', 8),
  industry('企业管理咨询', '商务服务', 15),
  industry('人力资源', '商务服务', 8),
  industry('劳务', '商务服务', 5),
  industry('投资管理', '金融', 8),
  industry('汽车服务', '汽车', 8),
  industry('汽车销售', '汽车', 6),
  industry('酒店管理', '住宿', 5),
  industry('旅游', '旅游', 4),
  industry('环保科技', '环保', 10),
  industry('新能源科技', '能源', 8),
  industry('服装', '纺织服装', 8),
  industry('纺织', '纺织服装', 5),
  industry('家居', '家居', 6),
  industry('家具', '家居', 4),
  industry('照明', '电子制造', 3),
  industry('安防科技', '电子制造', 4),
  industry('印刷', '制造', 3),
  industry('美容', '生活服务', 4),
];

export const legalForms: readonly (readonly [string, number])[] = [
  ['有限公司', 74],
  ['有限责任公司', 14],
  ['股份有限公司', 7],
  ['集团有限公司', 2],
];

/** Sole traders' shop names end in a word that stays in the name core. */
export const shopWords: readonly (readonly [string, number])[] = [
  ['商行', 30],
  ['经营部', 30],
  ['工作室', 15],
  ['店', 15],
  ['门市部', 10],
];

/** The 100 commonest surnames, most common first. */
export const surnames = Array.from(
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏' +
    '吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万' +
    '钱严覃武戴莫孔向汤',
);

/** Given-name characters, common first. */
export const givenChars = Array.from(
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍鹏辉玲建国文斌宇浩凯秀梅红云飞鑫波琳婷' +
    '雪志峰亮林欣颖慧晶晨阳俊海燕丹东宁博涵睿轩子怡梓萱思雨佳琪欣然浩然宇航一诺嘉豪家乐晓燕春' +
    '秋冬夏立新永生德福安庆荣祥成志强卫东红梅淑珍秀珍桂芳凤英',
);

/** Roads found in many Chinese cities. */
export const roads = [
  '人民路',
  '解放路',
  '中山路',
  '建设路',
  '和平路',
  '新华路',
  '胜利路',
  '文化路',
  '青年路',
  '工业路',
  '科技路',
  '创业路',
  '学府路',
  '长江路',
  '黄河路',
  '滨江路',
  '环城路',
  '迎宾大道',
  '世纪大道',
  '光明路',
  '幸福路',
  '团结路',
  '友谊路',
  '朝阳路',
  '东风路',
  '延安路',
  '复兴路',
  '振兴路',
  '兴业路',
  '商业街',
  '高新大道',
  '软件园路',
  '花园路',
  '公园路',
  '体育路',
  '健康路',
  '育才路',
  '府前路',
  '站前路',
  '滨河路',
  '沿江大道',
  '开发大道',
  '金融街',
  '建国路',
  '民主路',
  '红旗路',
  '北京路',
  '上海路',
  '南京路',
  '广州路',
] as const;

/** What follows the house number: nothing, a building, a floor, a room. */
export const buildingForms = [
  '',
  '',
  '',
  'A座{r}室',
  'B座{f}层',
  '{b}号楼{f}层',
  '{b}栋{r}室',
  '{f}楼',
  '{b}单元{r}',
  '大厦{f}层{r}室',
] as const;

/** Mobile number blocks of the three carriers (and the 19x blocks), by how common they are. */
export const mobilePrefixes: readonly (readonly [string, number])[] = [
  ['138', 9],
  ['139', 9],
  ['137', 7],
  ['136', 7],
  ['135', 7],
  ['134', 4],
  ['133', 4],
  ['132', 4],
  ['131', 4],
  ['130', 4],
  ['150', 5],
  ['151', 5],
  ['152', 4],
  ['153', 3],
  ['155', 4],
  ['156', 4],
  ['157', 3],
  ['158', 5],
  ['159', 5],
  ['166', 2],
  ['173', 2],
  ['176', 2],
  ['177', 2],
  ['178', 2],
  ['180', 4],
  ['181', 4],
  ['182', 4],
  ['183', 4],
  ['185', 4],
  ['186', 5],
  ['187', 4],
  ['188', 4],
  ['189', 5],
  ['191', 2],
  ['198', 2],
  ['199', 3],
];
