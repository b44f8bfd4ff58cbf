import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src/index.js';
import { IdentityRepository } from '../../../../libs/identity/src/index.js';
import { AccessPolicy, scopeOf } from '../../../../libs/engine/src/index.js';
import { EVENT_PERMISSIONS, FILING_ROLES, RECTIFICATION_EVENT_TYPES } from '../../../../workflows/rectification/index.js';
import { CurrentActor } from '../common/auth.js';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly identities: IdentityRepository,
    private readonly access: AccessPolicy,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Who I am, my department, what I can see and which events I may send (and on what condition)' })
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
        fileProblems: FILING_ROLES.includes(actor.role),
        administer: actor.role === 'admin',
        events,
      },
      scope: scopeOf(caller),
    };
  }
}
