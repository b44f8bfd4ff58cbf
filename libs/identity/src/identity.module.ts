import { Module } from '@nestjs/common';
import { IdentityService } from './identity.service.js';
import { OrganisationService } from './organisation.service.js';
import { SignInService } from './sign-in.service.js';
import { UsersService } from './users.service.js';

@Module({
  providers: [IdentityService, OrganisationService, UsersService, SignInService],
  exports: [IdentityService, OrganisationService, UsersService, SignInService],
})
export class IdentityModule {}
