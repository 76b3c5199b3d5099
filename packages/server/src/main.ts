import type { Config } from './config.ts';
import { buildApp } from './app.ts';
import { ensureDefaultTenant } from './modules/tenants/tenants.service.ts';
import { checkEncoding, openDatabase, type Database } from './platform/db.ts';
import { migrateAll } from './migrations.ts';
import type { App } from './platform/http.ts';

/** Opens the database, checks it can serve Tide (UTF-8), and brings its schema up to date. */
export async function openReadyDatabase(config: Config): Promise<Database> {
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.dbSchema,
  });
  try {
    await checkEncoding(db.pool);
    await migrateAll(db.pool);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

export interface Server {
  app: App;
  db: Database;
  url: string;
  close(): Promise<void>;
}

/** Starts Tide: database, default tenant, HTTP server. Prints how to sign in. */
export async function startServer(
  config: Config,
  print: (line: string) => void = console.log,
): Promise<Server> {
  const db = await openReadyDatabase(config);
  let app: App;
  try {
    const created = await ensureDefaultTenant(db.db, config.adminPassword);
    app = await buildApp({ config, db });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://localhost:${port}`;
    print('');
    print(
      `Tide is running at ${url}  (database: ${db.engine === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL'})`,
    );
    if (created?.admin.generated) {
      print(`Sign in as "admin" with the password ${created.admin.password}`);
      print('This password is shown only once: write it down, or change it under "My account".');
    } else if (created) {
      print('Sign in as "admin" with the password from TIDE_ADMIN_PASSWORD.');
    } else {
      // The embedded database admits one process: the reset cannot run beside this server.
      print(
        db.engine === 'pglite'
          ? 'Sign in as "admin". A forgotten password: stop this server (Ctrl-C), run `npx tide user reset-password admin`, then start it again; or have another administrator reset it under Users.'
          : 'Sign in as "admin" (a forgotten password is reset with `npx tide user reset-password admin`).',
      );
    }
    print(`API documentation: ${url}/api/docs`);
    print('');
    let closing: Promise<void> | undefined;
    return {
      app,
      db,
      url,
      close() {
        // In-flight requests finish before the database closes.
        closing ??= app.close().then(() => db.close());
        return closing;
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
