import { SequelizeStorage, Umzug } from 'umzug';
import type { QueryInterface } from 'sequelize';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';

export interface MigrationContext {
  queryInterface: QueryInterface;
  db: Database;
}

export interface Migration {
  name: string;
  up(ctx: MigrationContext): Promise<void>;
  down(ctx: MigrationContext): Promise<void>;
}

function createUmzug(db: Database) {
  return new Umzug<MigrationContext>({
    migrations: migrations.map((m) => ({ name: m.name, up: ({ context }) => m.up(context), down: ({ context }) => m.down(context) })),
    context: { queryInterface: db.sequelize.getQueryInterface(), db },
    storage: new SequelizeStorage({ sequelize: db.sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
}

/** Applies every pending migration; run on start and by each test that opens a database. */
export async function migrateUp(db: Database): Promise<string[]> {
  const applied = await createUmzug(db).up();
  return applied.map((m) => m.name);
}

export async function migrateDown(db: Database, to: string | 0 = 0): Promise<string[]> {
  const reverted = await createUmzug(db).down({ to });
  return reverted.map((m) => m.name);
}

export async function pendingMigrations(db: Database): Promise<string[]> {
  return (await createUmzug(db).pending()).map((m) => m.name);
}
