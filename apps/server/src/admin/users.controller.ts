import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { IdentityRepository, UsersService } from '#identity';
import { CurrentActor, Roles } from '../common/auth.js';
import { UserDto } from '../common/dto/user.response.js';
import { AuditPageDto } from './dto/audit.response.js';
import { CreateUserDto, IssueTokenDto, ListAuditQueryDto, SetPasswordDto } from './dto/user.dto.js';
import { CreatedUserDto, IssuedInvitationDto, IssuedTokenDto, TokenListDto, TokenSummaryDto, UserListDto } from './dto/user.response.js';

@ApiTags('admin')
@Roles('admin')
@Controller('admin')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly identities: IdentityRepository,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'Every user: name, username, role, department, whether active, whether they must change their password' })
  @ApiOkResponse({ type: UserListDto })
  async list() {
    return { items: await this.users.list() };
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a user with a first API token (shown once in the response)' })
  @ApiCreatedResponse({ type: CreatedUserDto })
  create(@CurrentActor() admin: Actor, @Body() dto: CreateUserDto) {
    return this.users.create(admin, dto);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserDto })
  get(@Param('id') id: string) {
    return this.users.get(id);
  }

  @Post('users/:id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a user: their next request gets 401' })
  @ApiOkResponse({ type: UserDto })
  deactivate(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.users.setActive(admin, id, false);
  }

  @Post('users/:id/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a deactivated user: their tokens that are not revoked or expired work again' })
  @ApiOkResponse({ type: UserDto })
  reactivate(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.users.setActive(admin, id, true);
  }

  @Post('users/:id/password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set an initial password, to be changed at first sign-in; ends the user\'s sessions and lifts a lock' })
  @ApiOkResponse({ type: UserDto })
  setPassword(@CurrentActor() admin: Actor, @Param('id') id: string, @Body() dto: SetPasswordDto) {
    return this.users.setPassword(admin, id, dto.password);
  }

  @Post('users/:id/invitation')
  @ApiOperation({ summary: 'Issue a one-time invitation code (shown once, valid 7 days) with which the user sets their password' })
  @ApiCreatedResponse({ type: IssuedInvitationDto })
  issueInvitation(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.users.issueInvitation(admin, id);
  }

  @Get('users/:id/tokens')
  @ApiOperation({ summary: "A user's tokens: label, created, expires, last used, revoked (never the token)" })
  @ApiOkResponse({ type: TokenListDto })
  async tokens(@Param('id') id: string) {
    return { items: await this.users.tokens(id) };
  }

  @Post('users/:id/tokens')
  @ApiOperation({ summary: 'Issue another API token (shown once), optionally expiring' })
  @ApiCreatedResponse({ type: IssuedTokenDto })
  issueToken(@CurrentActor() admin: Actor, @Param('id') id: string, @Body() dto: IssueTokenDto) {
    return this.users.issueToken(admin, id, dto);
  }

  @Post('tokens/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a token: its next use gets 401' })
  @ApiOkResponse({ type: TokenSummaryDto })
  revoke(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.users.revokeToken(admin, id);
  }

  @Get('audit')
  @ApiOperation({ summary: 'Admin actions, newest first: who did what to which department, user or token, and when' })
  @ApiOkResponse({ type: AuditPageDto })
  async audit(@Query() query: ListAuditQueryDto) {
    const limit = query.limit ?? 50;
    const rows = await this.identities.listAudit(limit + 1, query.cursor);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
