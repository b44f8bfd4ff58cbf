import { Module } from '@nestjs/common';
import { IdentityService } from './identity.service.js';
import { OrganisationService } from './organisation.service.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [IdentityService, OrganisationService, UsersService],
  exports: [IdentityService, OrganisationService, UsersService],
})
export class IdentityModule {}
