import { ApiTokenEntity } from './api-token.entity.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { DepartmentEntity } from './department.entity.js';
import { OutboxEventEntity } from './outbox-event.entity.js';
import { ProblemDepartmentEntity } from './problem-department.entity.js';
import { ProblemHistoryEntity } from './problem-history.entity.js';
import { ProblemEntity } from './problem.entity.js';
import { UserEntity } from './user.entity.js';

export {
  ApiTokenEntity,
  AuditLogEntity,
  DepartmentEntity,
  OutboxEventEntity,
  ProblemDepartmentEntity,
  ProblemEntity,
  ProblemHistoryEntity,
  UserEntity,
};

export const ENTITIES = [
  ProblemEntity,
  ProblemHistoryEntity,
  ProblemDepartmentEntity,
  OutboxEventEntity,
  DepartmentEntity,
  UserEntity,
  ApiTokenEntity,
  AuditLogEntity,
];
