import { ApiTokenEntity } from './api-token.entity.js';
import { DepartmentEntity } from './department.entity.js';
import { OutboxEventEntity } from './outbox-event.entity.js';
import { ProblemHistoryEntity } from './problem-history.entity.js';
import { ProblemEntity } from './problem.entity.js';
import { UserEntity } from './user.entity.js';

export { ApiTokenEntity, DepartmentEntity, OutboxEventEntity, ProblemEntity, ProblemHistoryEntity, UserEntity };

export const ENTITIES = [ProblemEntity, ProblemHistoryEntity, OutboxEventEntity, DepartmentEntity, UserEntity, ApiTokenEntity];
