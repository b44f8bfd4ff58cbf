import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/** Frozen copies of usernameKey / usernameFromName as they were when this migration was written. */
const keyOf = (value: string) => value.normalize('NFC').trim().toUpperCase().toLowerCase();
const fromName = (name: string) => [...(keyOf(name).replace(/[^\p{L}\p{N}]+/gu, '.').replace(/^\.+|\.+$/g, '') || 'user')].slice(0, 60).join('');

/**
 * [console] sign-in for people: users get a unique username (existing ones one derived from their name, made
 * unique with .2, .3 …), an optional password hash, the lock-out counters and an invitation; sessions are rows.
 */
export class SignIn1764979200000 implements MigrationInterface {
  name = 'SignIn1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.options.type === 'postgres';
    const mark = (index: number) => (postgres ? `$${index}` : '?');
    // Added nullable, filled, then made NOT NULL: SQLite cannot add a NOT NULL column without a default.
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'username', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'username_key', type: 'varchar', length: '100', isNullable: true }),
      new TableColumn({ name: 'password_hash', type: 'varchar', length: '200', isNullable: true }),
      new TableColumn({ name: 'must_change_password', type: 'boolean', isNullable: true }),
      new TableColumn({ name: 'failed_sign_ins', type: 'integer', isNullable: true }),
      new TableColumn({ name: 'locked_until', type: 'varchar', length: '30', isNullable: true }),
      new TableColumn({ name: 'invitation_hash', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({ name: 'invitation_expires_at', type: 'varchar', length: '30', isNullable: true }),
    ]);
    const users: Array<{ id: string; name: string }> = await queryRunner.query('SELECT id, name FROM users ORDER BY created_at, id');
    const taken = new Set<string>();
    for (const user of users) {
      const base = fromName(user.name);
      let username = base;
      for (let n = 2; taken.has(keyOf(username)); n += 1) username = `${base}.${n}`;
      taken.add(keyOf(username));
      await queryRunner.query(
        `UPDATE users SET username = ${mark(1)}, username_key = ${mark(2)}, must_change_password = ${mark(3)}, failed_sign_ins = 0 WHERE id = ${mark(4)}`,
        [username, keyOf(username), postgres ? false : 0, user.id],
      );
    }
    const table = await queryRunner.getTable('users');
    const notNull = (name: string) => {
      const oldColumn = table!.findColumnByName(name)!;
      const newColumn = oldColumn.clone();
      newColumn.isNullable = false;
      return { oldColumn, newColumn };
    };
    await queryRunner.changeColumns('users', ['username', 'username_key', 'must_change_password', 'failed_sign_ins'].map(notNull));
    await queryRunner.createIndex('users', new TableIndex({ name: 'ux_users_username_key', columnNames: ['username_key'], isUnique: true }));
    await queryRunner.createTable(
      new Table({
        name: 'user_sessions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'secret_hash', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'varchar', length: '30' },
          { name: 'last_seen_at', type: 'varchar', length: '30' },
          { name: 'expires_at', type: 'varchar', length: '30' },
        ],
        indices: [
          new TableIndex({ name: 'ux_user_sessions_secret_hash', columnNames: ['secret_hash'], isUnique: true }),
          new TableIndex({ name: 'ix_user_sessions_user', columnNames: ['user_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('user_sessions');
    await queryRunner.dropIndex('users', 'ux_users_username_key');
    for (const column of ['invitation_expires_at', 'invitation_hash', 'locked_until', 'failed_sign_ins', 'must_change_password', 'password_hash', 'username_key', 'username']) {
      await queryRunner.dropColumn('users', column);
    }
  }
}
