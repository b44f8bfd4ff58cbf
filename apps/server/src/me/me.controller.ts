import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, Clock, DomainError } from '#domain';
import { IdentityRepository } from '#identity';
import { NoticeRepository } from '#engine';
import { AccessPolicy, scopeOf } from '#access';
import { EVENT_PERMISSIONS, FILING_ROLES, RECTIFICATION_EVENT_TYPES } from '#rectification';
import { CurrentActor } from '../common/auth.js';
import { MeDto, NoticeDto, NoticeListDto } from './dto/me.response.js';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly access: AccessPolicy,
    private readonly notices: NoticeRepository,
    private readonly clock: Clock,
  ) {}

  @Get('notices')
  @ApiOperation({ summary: 'My supervision notices (督办单): escalations addressed to me or my department, unread first' })
  @ApiOkResponse({ type: NoticeListDto })
  async inbox(@CurrentActor() actor: Actor) {
    return { items: await this.notices.inbox(actor.userId, actor.departmentId, 200) };
  }

  @Post('notices/:id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge a notice addressed to me or my department (recorded: who and when)' })
  @ApiOkResponse({ type: NoticeDto })
  async acknowledge(@CurrentActor() actor: Actor, @Param('id') id: string) {
    const notice = await this.notices.acknowledge(id, actor.userId, actor.departmentId, this.clock.now().toISOString());
    if (!notice) throw new DomainError('NOTICE.NOT_FOUND', `No notice ${id} is addressed to you or your department.`);
    return notice;
  }

  @Get()
  @ApiOperation({ summary: 'Who I am, my department, what I can see and which events I may send (and on what condition)' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentActor() actor: Actor) {
    const department = actor.departmentId ? await this.identities.findDepartment(actor.departmentId) : null;
    const caller = await this.access.callerFor(actor);
    const events = RECTIFICATION_EVENT_TYPES.flatMap((type) =>
      EVENT_PERMISSIONS[type].filter((rule) => rule.role === actor.role).map((rule) => ({ event: type, when: rule.relation })),
    );
    return {
      user: { id: actor.userId, name: actor.name, role: actor.role },
      department: department ? { id: department.id, name: department.name, parentId: department.parentId } : null,
      may: {
        fileProblems: FILING_ROLES.some((role) => role === actor.role),
        administer: actor.role === 'admin',
        events,
      },
      scope: scopeOf(caller),
    };
  }
}
