import { and, eq } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { systemActor } from '../platform/context.ts';
import type { Db } from '../platform/db.ts';
import { AppError } from '../platform/errors.ts';
import { assertStrongPassword, generatePassword, hashPassword } from '../platform/passwords.ts';
import { rootNode } from '../modules/org/org.repo.ts';
import { orgNodes, territoryBindings, userRoles, users } from '../modules/org/org.table.ts';
import { defaultPoolId } from '../modules/pool/ownership.ts';
import { demoVolumes, seedDemoRecords, type DemoTeam } from './demo-records.ts';

interface TeamPlan {
  name: string;
  city: { code: string; name: string };
  manager: string;
  reps: string[];
}

interface BranchPlan {
  name: string;
  manager: string;
  teams: TeamPlan[];
}

/** The demo company: three branches, eight city teams, forty people. */
const branches: BranchPlan[] = [
  {
    name: '华东大区',
    manager: '周建国',
    teams: [
      {
        name: '上海一组',
        city: { code: '310100', name: '上海市' },
        manager: '陈思远',
        reps: ['李明轩', '王婷婷', '张浩然'],
      },
      {
        name: '上海二组',
        city: { code: '310100', name: '上海市' },
        manager: '刘雅琴',
        reps: ['赵子豪', '孙佳怡', '吴俊杰'],
      },
      {
        name: '杭州一组',
        city: { code: '330100', name: '杭州市' },
        manager: '郑文博',
        reps: ['钱梦瑶', '冯志强', '蒋雨欣'],
      },
      {
        name: '南京一组',
        city: { code: '320100', name: '南京市' },
        manager: '韩晓东',
        reps: ['杨静怡', '朱鹏飞', '秦海燕'],
      },
    ],
  },
  {
    name: '华南大区',
    manager: '黄伟明',
    teams: [
      {
        name: '广州一组',
        city: { code: '440100', name: '广州市' },
        manager: '林嘉欣',
        reps: ['何俊辉', '罗晓婷', '梁家豪'],
      },
      {
        name: '深圳一组',
        city: { code: '440300', name: '深圳市' },
        manager: '许志坚',
        reps: ['邓丽萍', '谢宇航', '曾慧敏'],
      },
    ],
  },
  {
    name: '华北大区',
    manager: '马国栋',
    teams: [
      {
        name: '北京一组',
        city: { code: '110100', name: '北京市' },
        manager: '高振华',
        reps: ['徐晨阳', '宋雪梅', '唐立新'],
      },
      {
        name: '天津一组',
        city: { code: '120100', name: '天津市' },
        manager: '胡秀兰',
        reps: ['曹宏伟', '彭诗琪', '董建军'],
      },
    ],
  },
];

/** People at head office: a nationwide telesales desk and the supporting roles. */
const headOffice: { name: string; role: string }[] = [
  { name: '潘美玲', role: 'telesales' },
  { name: '袁振宇', role: 'telesales' },
  { name: '蔡晓华', role: 'marketing' },
  { name: '田思琪', role: 'analyst' },
  { name: '程丽娟', role: 'service' },
];

export interface DemoUser {
  username: string;
  displayName: string;
  role: string;
  node: string;
}

export interface DemoResult {
  password: string;
  users: DemoUser[];
  volumes: typeof demoVolumes;
}

export const DEMO_BRANCH = branches[0]?.name ?? '';

/**
 * Seeds the demo organisation into a tenant. Usernames are pinyin-free and
 * predictable (`sh1.manager`, `sh1.rep1`…) so a visitor can try every role.
 */
export async function seedDemo(
  db: Db,
  tenantId: string,
  password = generatePassword(),
): Promise<DemoResult> {
  // Every demo user shares it, so it must hold for each of their usernames.
  assertStrongPassword(password);
  const passwordHash = await hashPassword(password);
  const actor = systemActor(tenantId);
  return db.transaction(async (tx) => {
    const root = await rootNode(tx, tenantId);
    if (!root) throw new Error('The tenant has no org root');
    const [existing] = await tx
      .select({ id: orgNodes.id })
      .from(orgNodes)
      .where(and(eq(orgNodes.tenantId, tenantId), eq(orgNodes.name, DEMO_BRANCH)));
    if (existing)
      throw new AppError('CONFLICT', 'The demo organisation is already seeded in this tenant');

    const created: DemoUser[] = [];
    const addNode = async (name: string, parent: { id: string; path: string; depth: number }) => {
      const [row] = await tx
        .insert(orgNodes)
        .values({ tenantId, parentId: parent.id, name, path: '/', depth: parent.depth + 1 })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      const path = `${parent.path}${row.id}/`;
      await tx.update(orgNodes).set({ path }).where(eq(orgNodes.id, row.id));
      await audit(tx, actor, {
        entity: 'org_node',
        entityId: row.id,
        action: 'create',
        after: { name, parentId: parent.id },
      });
      return { id: row.id, path, depth: row.depth };
    };
    const addUser = async (
      username: string,
      displayName: string,
      nodeId: string,
      nodeName: string,
      role: string,
    ) => {
      const [row] = await tx
        .insert(users)
        .values({ tenantId, username, displayName, passwordHash, nodeId })
        .returning({ id: users.id });
      if (!row) throw new Error('insert returned nothing');
      await tx.insert(userRoles).values({ tenantId, userId: row.id, roleName: role });
      await audit(tx, actor, {
        entity: 'user',
        entityId: row.id,
        action: 'create',
        after: { username, displayName, nodeId, roles: [role] },
      });
      created.push({ username, displayName, role, node: nodeName });
      return row.id;
    };

    const teams: DemoTeam[] = [];
    const branchCodes = ['east', 'south', 'north'];
    for (const [bi, branch] of branches.entries()) {
      const code = branchCodes[bi] ?? `b${bi}`;
      const bNode = await addNode(branch.name, root);
      const bManager = await addUser(
        `${code}.manager`,
        branch.manager,
        bNode.id,
        branch.name,
        'manager',
      );
      await tx.update(orgNodes).set({ managerId: bManager }).where(eq(orgNodes.id, bNode.id));
      for (const [ti, team] of branch.teams.entries()) {
        const tCode = `${code}${ti + 1}`;
        const tNode = await addNode(team.name, bNode);
        await tx.insert(territoryBindings).values({
          tenantId,
          nodeId: tNode.id,
          regionCode: team.city.code,
          regionName: team.city.name,
        });
        const tManager = await addUser(
          `${tCode}.manager`,
          team.manager,
          tNode.id,
          team.name,
          'manager',
        );
        await tx.update(orgNodes).set({ managerId: tManager }).where(eq(orgNodes.id, tNode.id));
        const repIds: string[] = [];
        for (const [ri, rep] of team.reps.entries()) {
          repIds.push(await addUser(`${tCode}.rep${ri + 1}`, rep, tNode.id, team.name, 'sales'));
        }
        teams.push({ cityCode: team.city.code, managerId: tManager, repIds });
      }
    }
    for (const [i, person] of headOffice.entries()) {
      await addUser(`hq.${person.role}${i + 1}`, person.name, root.id, root.name, person.role);
    }
    const volumes = await seedDemoRecords(tx, tenantId, await defaultPoolId(tx, tenantId), teams);
    return { password, users: created, volumes };
  });
}
