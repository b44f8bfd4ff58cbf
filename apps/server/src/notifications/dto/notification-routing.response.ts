import { ApiProperty } from '@nestjs/swagger';
import type { RoutingRule } from '#notify';
import { type Audience, AUDIENCES, DELIVERY_ROUTES, type DeliveryRoute, NOTIFIABLE_EVENTS } from '#rectification';

// The answers of /admin/notifications/routing for the OpenAPI document; each class `implements` the notify
// library's type, so a field it renames or retypes breaks the build instead of the console.

/** One line of the routing table in force. */
export class NotificationRoutingRuleDto implements RoutingRule {
  @ApiProperty({ example: 'default-0', description: 'A UUID for a rule an admin wrote; `default-<n>` for a line of the default table' })
  id: string;

  @ApiProperty({ enum: NOTIFIABLE_EVENTS })
  event: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Escalations: only this level; null: every level (or not an escalation)' })
  level: number | null;

  @ApiProperty({ enum: AUDIENCES, description: 'Who, relative to the problem the event is about' })
  audience: Audience;

  @ApiProperty({ enum: DELIVERY_ROUTES, description: "email: each person's address; robot: the group robot(s) of the audience's department" })
  route: DeliveryRoute;

  @ApiProperty({ description: 'Sent even to people who opted out (escalations always are)' })
  mandatory: boolean;
}

/** GET and PUT /admin/notifications/routing. */
export class NotificationRoutingDto {
  @ApiProperty({ type: [NotificationRoutingRuleDto], description: 'In order' })
  rules: NotificationRoutingRuleDto[];

  @ApiProperty({ description: 'true: the default table of workflows/rectification, never replaced by an admin' })
  isDefault: boolean;
}
