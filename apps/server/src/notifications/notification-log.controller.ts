import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { NotificationsService } from '#notify';
import { CurrentActor, Roles } from '../common/auth.js';
import { ListNotificationsQueryDto } from './dto/notification-log.dto.js';
import { NotificationDetailDto, NotificationDto, NotificationListDto } from './dto/notification-log.response.js';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/notifications')
export class NotificationLogController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'The delivery log, newest first: each message with its channel, recipient, status and attempts' })
  @ApiOkResponse({ type: NotificationListDto })
  async list(@Query() query: ListNotificationsQueryDto) {
    const { limit, ...filters } = query;
    return { items: await this.notifications.notifications({ ...filters, limit: limit ?? 50 }) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One message with its log: every attempt with status code, vendor code and detail, duration and time' })
  @ApiOkResponse({ type: NotificationDetailDto })
  get(@Param('id') id: string) {
    return this.notifications.notification(id);
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send this message again on the next round, even if it was sent (a folded one goes alone)' })
  @ApiOkResponse({ type: NotificationDto })
  redeliver(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.notifications.redeliver(admin, id);
  }
}
