import { Module } from '@nestjs/common';
import { IdentityModule } from '../../../../libs/identity/src/index.js';
import { DepartmentsController } from './departments.controller.js';
import { UsersController } from './users.controller.js';

@Module({ imports: [IdentityModule], controllers: [DepartmentsController, UsersController] })
export class AdminModule {}
