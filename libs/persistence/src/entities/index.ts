import { ApiTokenEntity } from './api-token.entity.js';
import { AuditLogEntity } from './audit-log.entity.js';
import { BusinessCalendarEntity } from './business-calendar.entity.js';
import { DeadlinePolicyEntity } from './deadline-policy.entity.js';
import { DepartmentEntity } from './department.entity.js';
import { HistoryAnchorEntity } from './history-anchor.entity.js';
import { ImportKeyEntity } from './import-key.entity.js';
import { InspectionDepartmentEntity, InspectionEntity, InspectionMemberEntity } from './inspection.entity.js';
import {
  NotificationAttemptEntity,
  NotificationChannelEntity,
  NotificationEntity,
  NotificationEventEntity,
  NotificationRoutingEntity,
} from './notification.entity.js';
import { OutboxEventEntity } from './outbox-event.entity.js';
import { ProblemDepartmentEntity } from './problem-department.entity.js';
import { ProblemEvidenceEntity } from './problem-evidence.entity.js';
import { ProblemLinkEntity } from './problem-link.entity.js';
import { ProblemHistoryEntity } from './problem-history.entity.js';
import { PROBLEM_FIXED_AT_FILING, ProblemEntity } from './problem.entity.js';
import { SupervisionNoticeEntity } from './supervision-notice.entity.js';
import { UserEntity } from './user.entity.js';
import { UserSessionEntity } from './user-session.entity.js';
import { WebhookAttemptEntity } from './webhook-attempt.entity.js';
import { WebhookDeliveryEntity } from './webhook-delivery.entity.js';
import { WebhookSubscriptionEntity } from './webhook-subscription.entity.js';

export {
  ApiTokenEntity,
  AuditLogEntity,
  BusinessCalendarEntity,
  DeadlinePolicyEntity,
  DepartmentEntity,
  HistoryAnchorEntity,
  ImportKeyEntity,
  InspectionDepartmentEntity,
  InspectionEntity,
  InspectionMemberEntity,
  NotificationAttemptEntity,
  NotificationChannelEntity,
  NotificationEntity,
  NotificationEventEntity,
  NotificationRoutingEntity,
  OutboxEventEntity,
  ProblemDepartmentEntity,
  PROBLEM_FIXED_AT_FILING,
  ProblemEntity,
  ProblemEvidenceEntity,
  ProblemLinkEntity,
  ProblemHistoryEntity,
  SupervisionNoticeEntity,
  UserEntity,
  UserSessionEntity,
  WebhookAttemptEntity,
  WebhookDeliveryEntity,
  WebhookSubscriptionEntity,
};

export const ENTITIES = [
  ProblemEntity,
  ProblemHistoryEntity,
  ProblemDepartmentEntity,
  NotificationAttemptEntity,
  NotificationChannelEntity,
  NotificationEntity,
  NotificationEventEntity,
  NotificationRoutingEntity,
  OutboxEventEntity,
  DepartmentEntity,
  UserEntity,
  ApiTokenEntity,
  AuditLogEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  SupervisionNoticeEntity,
  BusinessCalendarEntity,
  DeadlinePolicyEntity,
  ProblemEvidenceEntity,
  ProblemLinkEntity,
  ImportKeyEntity,
  HistoryAnchorEntity,
  InspectionEntity,
  InspectionMemberEntity,
  InspectionDepartmentEntity,
  UserSessionEntity,
];
