import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openReadyDatabase, startServer } from './main.ts';
import { DataDirLockedError } from './platform/lock.ts';
import { AppError } from './platform/errors.ts';
import { DatabaseError, type Database } from './platform/db.ts';
import { systemActor } from './platform/context.ts';
import { generatePassword } from './platform/passwords.ts';
import {
  createTenant,
  DEFAULT_TENANT_SLUG,
  ensureDefaultTenant,
  findDefaultTenant,
  findTenantBySlug,
  type TenantRow,
} from './modules/tenants/tenants.service.ts';
import { rootNode } from './modules/org/org.repo.ts';
import { findUserByUsername } from './modules/users/users.repo.ts';
import { createUser, resetPassword } from './modules/users/users.service.ts';
import { orgNodes } from './modules/org/org.table.ts';
import { and, eq } from 'drizzle-orm';
import { seedDemo } from './seed/demo.ts';
import { runImportCommand } from './modules/imports/imports.cli.ts';
import { setImportStaleSeconds } from './modules/imports/imports.service.ts';
import type { ImportType } from '@tide/contract';

const out = (line = '') => {
  process.stdout.write(`${line}\n`);
};

/** Opens the database for a one-shot command and always closes it. */
async function withDatabase<T>(config: Config, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openReadyDatabase(config);
  try {
    const created = await ensureDefaultTenant(db.db, config.adminPassword);
    if (created?.admin.generated) {
      out(
        `Created the default tenant. Sign in as "admin" with the password ${created.admin.password} (shown only once).`,
      );
    }
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function tenantOf(db: Database, slug: string | undefined): Promise<TenantRow> {
  const tenant = slug ? await findTenantBySlug(db.db, slug) : await findDefaultTenant(db.db);
  if (!tenant) throw new AppError('NOT_FOUND', `No tenant "${slug ?? DEFAULT_TENANT_SLUG}"`);
  return tenant;
}

/** Which database a command wrote to, without the password a URL may carry. */
export function databaseName(config: Config, db: Database): string {
  if (db.engine === 'pglite') return `the embedded database in ${config.dataDir}`;
  const url = new URL(config.databaseUrl ?? '');
  const where = `${url.host}${url.pathname}`;
  return `the PostgreSQL database ${where}${config.dbSchema === 'public' ? '' : ` (schema ${config.dbSchema})`}`;
}

const tenantOption = new Option('-t, --tenant <slug>', 'tenant slug (default: the default tenant)');

export function buildCli(config: () => Config): Command {
  const program = new Command('tide').description('Tide CRM').showHelpAfterError();

  program
    .command('serve')
    .description('run the web server (migrates the database first)')
    .action(async () => {
      const server = await startServer(config(), out);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.app.log.info({ signal }, 'shutting down');
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            server.app.log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      // `on`, not `once`: Ctrl-C reaches this process both from the terminal and forwarded by
      // `npm start`; a second signal must not kill it before the database lock is released.
      for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
        process.on(signal, () => {
          stop(signal);
        });
      }
      // Started by `npm start` with an IPC channel: when that parent dies, even by SIGKILL,
      // the channel closes and the server stops instead of holding the database alone.
      if (process.send) {
        process.on('disconnect', () => {
          stop('parent exited');
        });
      }
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const db = await openReadyDatabase(config());
      await db.close();
      out('The database is up to date.');
    });

  program
    .command('seed')
    .description('load demo data')
    .requiredOption(
      '--demo',
      'the demo organisation: head office, three branches, eight teams, forty people',
    )
    .addOption(tenantOption)
    .option('--password <password>', 'password for every demo user (default: generated)')
    .action(async (opts: { tenant?: string; password?: string }) => {
      await withDatabase(config(), async (db) => {
        const tenant = await tenantOf(db, opts.tenant);
        const result = await seedDemo(db.db, tenant.id, opts.password);
        out(
          `Seeded the demo organisation into tenant "${tenant.slug}" of ${databaseName(config(), db)}: ${result.users.length} users.`,
        );
        const v = result.volumes;
        out(
          `Demo data: ${v.leads} leads, ${v.customers} customers, ${v.contacts} contacts, ${v.opportunities} opportunities, ${v.followUps} follow-ups.`,
        );
        out('');
        for (const u of result.users)
          out(`  ${u.username.padEnd(18)} ${u.displayName}  ${u.role.padEnd(10)} ${u.node}`);
        out('');
        out(`Every demo user signs in with the password: ${result.password}`);
      });
    });

  const tenant = program.command('tenant').description('manage tenants');
  tenant
    .command('create')
    .description('create a tenant with its org root, default pool, roles and an admin')
    .argument('<slug>', 'short name used at login, e.g. acme')
    .option('--name <name>', 'display name (default: the slug)')
    .option('--admin-password <password>', 'password of its admin (default: generated and printed)')
    .action(async (slug: string, opts: { name?: string; adminPassword?: string }) => {
      await withDatabase(config(), async (db) => {
        const created = await createTenant(db.db, {
          slug,
          name: opts.name ?? slug,
          adminPassword: opts.adminPassword,
        });
        out(
          `Created tenant "${created.tenant.slug}". Sign in with tenant "${created.tenant.slug}", user "admin", password ${created.admin.password}`,
        );
      });
    });

  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user')
    .argument('<username>')
    .addOption(tenantOption)
    .option('--name <displayName>', 'display name (default: the username)')
    .option('--password <password>', 'password (default: generated and printed)')
    .option('--roles <roles>', 'comma-separated role names', 'sales')
    .option('--node <name>', 'org node name (default: the root)')
    .action(
      async (
        username: string,
        opts: { tenant?: string; name?: string; password?: string; roles: string; node?: string },
      ) => {
        await withDatabase(config(), async (db) => {
          const t = await tenantOf(db, opts.tenant);
          const password = opts.password ?? generatePassword();
          const node = opts.node
            ? (
                await db.db
                  .select()
                  .from(orgNodes)
                  .where(and(eq(orgNodes.tenantId, t.id), eq(orgNodes.name, opts.node)))
              )[0]
            : await rootNode(db.db, t.id);
          if (!node)
            throw new AppError(
              'NOT_FOUND',
              `No org node "${opts.node ?? ''}" in tenant "${t.slug}"`,
            );
          const created = await createUser(db.db, systemActor(t.id), {
            username,
            displayName: opts.name ?? username,
            password,
            nodeId: node.id,
            roles: opts.roles
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean),
          });
          out(
            `Created user "${created.username}" in tenant "${t.slug}" (${created.roles.join(', ')}, ${created.nodeName}).`,
          );
          if (!opts.password) out(`Password: ${password}`);
        });
      },
    );
  user
    .command('reset-password')
    .description("set a user's password (ends their sessions)")
    .argument('<username>')
    .addOption(tenantOption)
    .option('--password <password>', 'new password (default: generated and printed)')
    .action(async (username: string, opts: { tenant?: string; password?: string }) => {
      await withDatabase(config(), async (db) => {
        const t = await tenantOf(db, opts.tenant);
        const u = await findUserByUsername(db.db, t.id, username);
        if (!u) throw new AppError('NOT_FOUND', `No user "${username}" in tenant "${t.slug}"`);
        const password = opts.password ?? generatePassword();
        await resetPassword(db.db, systemActor(t.id), u.id, password);
        out(`The password of "${u.username}" in tenant "${t.slug}" is now: ${password}`);
      });
    });

  program
    .command('import')
    .description(
      'import a CSV (UTF-8 or GBK) or .xlsx file of leads, cleaned and matched; stop `tide serve` first on the embedded database',
    )
    .argument('[file]', 'the file (not needed with --resume)')
    .addOption(
      new Option('--type <type>', 'what the file holds')
        .choices(['leads', 'customers', 'contacts'])
        .default('leads'),
    )
    .addOption(
      new Option('--on-duplicate <action>', 'rows matching an existing lead')
        .choices(['skip', 'update', 'link'])
        .default('skip'),
    )
    .option('--resume <id>', 'continue an import cut short, from its last committed chunk')
    .option(
      '--force',
      'with --resume: take over an import whose process is gone, without waiting for it to look stalled',
    )
    .option('--user <username>', 'who imports (default: admin)', 'admin')
    .addOption(tenantOption)
    .action(
      async (
        file: string | undefined,
        opts: {
          type: ImportType;
          onDuplicate: 'skip' | 'update' | 'link';
          resume?: string;
          force?: boolean;
          user: string;
          tenant?: string;
        },
      ) => {
        const settings = config();
        setImportStaleSeconds(settings.importStaleSeconds);
        await withDatabase(settings, async (db) => {
          const t = await tenantOf(db, opts.tenant);
          const u = await findUserByUsername(db.db, t.id, opts.user);
          if (!u) throw new AppError('NOT_FOUND', `No user "${opts.user}" in tenant "${t.slug}"`);
          await runImportCommand(
            db,
            { tenantId: t.id, userId: u.id, requestId: null },
            { file, ...opts },
            out,
          );
        });
      },
    );

  return program;
}

/** Known failures print one clear line; anything else prints its stack. */
function report(err: unknown): number {
  if (
    err instanceof DataDirLockedError ||
    err instanceof ConfigError ||
    err instanceof DatabaseError
  ) {
    process.stderr.write(`tide: ${err.message}\n`);
    return 2;
  }
  if (err instanceof AppError) {
    process.stderr.write(`tide: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(
    `tide: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  // Drizzle wraps the database's own error; its message is what explains the failure.
  for (
    let c = (err as { cause?: unknown }).cause;
    c instanceof Error;
    c = (c as { cause?: unknown }).cause
  ) {
    process.stderr.write(`caused by: ${c.message}\n`);
  }
  return 1;
}

const isMain = process.argv[1] !== undefined && /(?:tide(?:\.mjs)?|cli\.ts)$/.test(process.argv[1]);
if (isMain) {
  buildCli(() => loadConfig())
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.exit(report(err));
    });
}
