import { Brackets, IsNull } from 'typeorm';
import { NoticeRepository, type NoticeView } from '#engine';
import type { Database } from './database.js';
import { SupervisionNoticeEntity } from './entities/index.js';

const toView = (row: SupervisionNoticeEntity): NoticeView => ({ ...row, kind: row.kind as NoticeView['kind'] });

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
    return rows.map(toView);
  }

  async acknowledge(id: string, userId: string, departmentId: string | null, at: string): Promise<NoticeView | null> {
    return this.db.write(async (manager) => {
      const row = await manager.findOneBy(SupervisionNoticeEntity, { id });
      const addressedToMe = row && (row.recipientUserId === userId || (departmentId !== null && row.recipientDepartmentId === departmentId));
      if (!row || !addressedToMe) return null;
      if (row.acknowledgedAt === null) {
        await manager.update(SupervisionNoticeEntity, { id, acknowledgedAt: IsNull() }, { acknowledgedAt: at, acknowledgedBy: userId });
        return toView({ ...row, acknowledgedAt: at, acknowledgedBy: userId });
      }
      return toView(row);
    });
  }

  async forProblem(problemId: string): Promise<NoticeView[]> {
    const rows = await this.db.read((manager) => manager.find(SupervisionNoticeEntity, { where: { problemId }, order: { id: 'ASC' } }));
    return rows.map(toView);
  }
}
