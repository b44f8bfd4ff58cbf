import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { NotificationsService } from '#notify';
import { MANDATORY_EVENTS } from '#rectification';
import { CurrentActor, Roles } from '../common/auth.js';
import { UpdateNotificationSettingsDto } from './dto/notification-settings.dto.js';
import { NotificationSettingsDto } from './dto/notification-settings.response.js';

/** Each person's own contact settings, and the admin's way to set them for someone who never signs in. */
@Controller()
export class MyNotificationSettingsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('me/notification-settings')
  @ApiTags('me')
  @ApiOperation({ summary: 'My email, mobile, language and opt-outs, and which events I cannot opt out of (mandatory)' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  async get(@CurrentActor() actor: Actor) {
    return { ...(await this.notifications.contactOf(actor)), mandatory: MANDATORY_EVENTS };
  }

  @Put('me/notification-settings')
  @ApiTags('me')
  @ApiOperation({ summary: 'Change my email, mobile, language or opt-outs (omitted fields stay; null clears email or mobile)' })
  @ApiOkResponse({ type: NotificationSettingsDto })
  update(@CurrentActor() actor: Actor, @Body() dto: UpdateNotificationSettingsDto) {
    return this.notifications.updateContact(actor, dto);
  }

  @Put('admin/users/:id/notification-settings')
  @ApiTags('admin')
  @Roles('admin')
  @ApiOperation({ summary: "Set a user's email, mobile, language or opt-outs for them (audited)" })
  @ApiOkResponse({ type: NotificationSettingsDto })
  updateFor(@CurrentActor() admin: Actor, @Param('id') id: string, @Body() dto: UpdateNotificationSettingsDto) {
    return this.notifications.updateContactOf(admin, id, dto);
  }
}
