import { Module } from '@nestjs/common';
import { MyNotificationSettingsController } from './my-notification-settings.controller.js';
import { NotificationChannelsController } from './notification-channels.controller.js';
import { NotificationLogController } from './notification-log.controller.js';
import { NotificationRoutingController } from './notification-routing.controller.js';

/**
 * The notifications API over NotifyModule (global). The routing controller is registered before the log's, so
 * that GET /admin/notifications/routing is not taken for a message id by GET /admin/notifications/:id.
 */
@Module({
  controllers: [NotificationChannelsController, NotificationRoutingController, NotificationLogController, MyNotificationSettingsController],
})
export class NotificationsModule {}
