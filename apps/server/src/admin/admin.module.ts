import { Module } from '@nestjs/common';
import { IdentityModule } from '#identity';
import { CalendarController } from './calendar.controller.js';
import { DeadlinePolicyAdminController, DeadlinePolicyController } from './deadline-policy.controller.js';
import { DepartmentsController } from './departments.controller.js';
import { UsersController } from './users.controller.js';
import { WebhooksController } from './webhooks.controller.js';

@Module({ imports: [IdentityModule], controllers: [DepartmentsController, UsersController, WebhooksController, CalendarController, DeadlinePolicyController, DeadlinePolicyAdminController] })
export class AdminModule {}
