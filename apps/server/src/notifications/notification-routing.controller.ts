import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { NotificationsService } from '#notify';
import { CurrentActor, Roles } from '../common/auth.js';
import { ReplaceRoutingDto } from './dto/notification-routing.dto.js';
import { NotificationRoutingDto } from './dto/notification-routing.response.js';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/notifications/routing')
export class NotificationRoutingController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Who is told of what, by which route; isDefault: the table of workflows/rectification, never replaced' })
  @ApiOkResponse({ type: NotificationRoutingDto })
  routing() {
    return this.notifications.routing();
  }

  @Put()
  @ApiOperation({ summary: 'Replace the whole routing table (escalation rules stay mandatory whatever it says)' })
  @ApiOkResponse({ type: NotificationRoutingDto })
  replace(@CurrentActor() admin: Actor, @Body() dto: ReplaceRoutingDto) {
    return this.notifications.replaceRouting(
      admin,
      dto.rules.map((rule) => ({ event: rule.event, level: rule.level ?? null, audience: rule.audience, route: rule.route, mandatory: rule.mandatory ?? false })),
    );
  }
}
