import { Module } from '@nestjs/common';
import { IdentityModule } from '#identity';
import { CalendarController } from './calendar.controller.js';
import { DepartmentsController } from './departments.controller.js';
import { UsersController } from './users.controller.js';
import { WebhooksController } from './webhooks.controller.js';

@Module({ imports: [IdentityModule], controllers: [DepartmentsController, UsersController, WebhooksController, CalendarController] })
export class AdminModule {}
