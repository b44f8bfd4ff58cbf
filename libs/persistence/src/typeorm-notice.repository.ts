import { Brackets, IsNull } from 'typeorm';
import { NoticeRepository, type NoticeView } from '#engine';
import type { Database } from './database.js';
import { SupervisionNoticeEntity } from './entities/index.js';
import { marks } from './problem-sql.js';

export class TypeOrmNoticeRepository extends NoticeRepository {
  constructor(private readonly db: Database) {
    super();
  }

  async inbox(userId: string, departmentId: string | null, limit: number): Promise<NoticeView[]> {
    const rows = await this.db.read((manager) =>
      manager
        .createQueryBuilder(SupervisionNoticeEntity, 'n')
        .where(
          new Brackets((mine) => {
            mine.where('n.recipient_user_id = :userId', { userId });
            if (departmentId) mine.orWhere('n.recipient_department_id = :departmentId', { departmentId });
          }),
        )
        // Unread first, then newest first.
        .orderBy('CASE WHEN n.acknowledged_at IS NULL THEN 0 ELSE 1 END', 'ASC')
        .addOrderBy('n.id', 'DESC')
        .limit(limit)
        .getMany(),
    );
    return this.views(rows);
  }

  async acknowledge(id: string, userId: string, departmentId: string | null, at: string): Promise<NoticeView | null> {
    const acknowledged = await this.db.write(async (manager) => {
      const row = await manager.findOneBy(SupervisionNoticeEntity, { id });
      const addressedToMe = row && (row.recipientUserId === userId || (departmentId !== null && row.recipientDepartmentId === departmentId));
      if (!row || !addressedToMe) return null;
      if (row.acknowledgedAt === null) {
        await manager.update(SupervisionNoticeEntity, { id, acknowledgedAt: IsNull() }, { acknowledgedAt: at, acknowledgedBy: userId });
        return { ...row, acknowledgedAt: at, acknowledgedBy: userId };
      }
      return row;
    });
    return acknowledged && (await this.views([acknowledged]))[0];
  }

  async forProblem(problemId: string): Promise<NoticeView[]> {
    const rows = await this.db.read((manager) => manager.find(SupervisionNoticeEntity, { where: { problemId }, order: { id: 'ASC' } }));
    return this.views(rows);
  }

  async highestEscalationLevels(problemIds: readonly string[]): Promise<Map<string, number>> {
    const levels = new Map<string, number>();
    if (problemIds.length === 0) return levels;
    const rows = await this.db.sqlRead((sql) =>
      sql.all<{ problem_id: string; level: number | string }>(
        `SELECT problem_id, MAX(level) AS level FROM supervision_notices WHERE kind = 'escalation' AND problem_id IN (${marks(problemIds.length)}) GROUP BY problem_id`,
        [...problemIds],
      ),
    );
    for (const row of rows) levels.set(row.problem_id, Number(row.level));
    return levels;
  }

  /** The rows as recipients read them, with their problems' titles (one query for the lot). */
  private async views(rows: SupervisionNoticeEntity[]): Promise<NoticeView[]> {
    const ids = [...new Set(rows.map((row) => row.problemId))];
    const titles = new Map<string, string>();
    if (ids.length > 0) {
      const found = await this.db.sqlRead((sql) => sql.all<{ id: string; title: string }>(`SELECT id, title FROM problems WHERE id IN (${marks(ids.length)})`, ids));
      for (const { id, title } of found) titles.set(id, title);
    }
    return rows.map((row) => ({ ...row, kind: row.kind as NoticeView['kind'], problemTitle: titles.get(row.problemId) ?? '' }));
  }
}
