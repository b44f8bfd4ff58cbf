import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../../../libs/domain/src/index.js';
import { IdentityRepository } from '../../../../libs/identity/src/index.js';
import { CurrentActor } from '../common/auth.js';
import { DepartmentDirectoryDto } from './dto/me.response.js';

/**
 * The departments of the caller's organisation (the tree their department belongs to), flat, for pickers and
 * names on screens: ids, names and the supervising chain only. Another organisation's departments are not
 * listed; an administrator (above the organisations) sees them all.
 */
@ApiTags('me')
@Controller('departments')
export class DepartmentsDirectoryController {
  constructor(private readonly identities: IdentityRepository) {}

  @Get()
  @ApiOperation({ summary: 'The departments of my organisation: id, name, supervising department and whether it is active' })
  @ApiOkResponse({ type: DepartmentDirectoryDto })
  async list(@CurrentActor() actor: Actor) {
    const departments = await this.identities.listDepartments();
    const byId = new Map(departments.map((department) => [department.id, department]));
    const rootOf = (id: string | null): string | null => {
      const seen = new Set<string>();
      let current = id === null ? undefined : byId.get(id);
      while (current?.parentId && byId.has(current.parentId) && !seen.has(current.id)) {
        seen.add(current.id);
        current = byId.get(current.parentId);
      }
      return current?.id ?? null;
    };
    const mine = actor.role === 'admin' && actor.departmentId === null ? null : rootOf(actor.departmentId);
    const visible = departments.filter((department) => actor.role === 'admin' && actor.departmentId === null ? true : mine !== null && rootOf(department.id) === mine);
    return {
      items: visible
        .map(({ id, name, parentId, active }) => ({ id, name, parentId, active }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
}
