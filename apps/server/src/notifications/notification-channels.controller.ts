import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, DomainError } from '#domain';
import { NotificationsService } from '#notify';
import { CurrentActor, Roles } from '../common/auth.js';
import { CreateNotificationChannelDto, UpdateNotificationChannelDto } from './dto/notification-channel.dto.js';
import { NotificationChannelDto, NotificationChannelListDto, NotificationChannelTestDto } from './dto/notification-channel.response.js';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/notification-channels')
export class NotificationChannelsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Add the SMTP server or a department\'s group robot (DingTalk, Feishu, WeCom); its URL, secret and password are sealed and never shown again',
  })
  @ApiCreatedResponse({ type: NotificationChannelDto })
  create(@CurrentActor() admin: Actor, @Body() dto: CreateNotificationChannelDto) {
    return this.notifications.createChannel(admin, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Channels with where each points (scheme, host, path), never their credentials' })
  @ApiOkResponse({ type: NotificationChannelListDto })
  async list() {
    return { items: await this.notifications.listChannels() };
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, switch on or off, move to another department, or take part in the daily digest or not' })
  @ApiOkResponse({ type: NotificationChannelDto })
  update(@CurrentActor() admin: Actor, @Param('id') id: string, @Body() dto: UpdateNotificationChannelDto) {
    // An empty change is a client's mistake: said so, rather than answered as if something changed.
    if (Object.values(dto).every((value) => value === undefined)) {
      throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: body. See details.fields for what each needs.', {
        fields: [{ field: 'body', messages: ['send at least one of name, active, dailyDigest, departmentId'] }],
      });
    }
    return this.notifications.updateChannel(admin, id, dto);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a test message now (email: to your own address) and answer what the vendor said; logged like any message' })
  @ApiOkResponse({ type: NotificationChannelTestDto })
  test(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.notifications.testChannel(admin, id);
  }
}
