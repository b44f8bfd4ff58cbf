import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, DepartmentTree } from '#domain';
import { IdentityRepository } from '#identity';
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
    const tree = new DepartmentTree(departments);
    const everyone = actor.role === 'admin' && actor.departmentId === null;
    const mine = everyone ? null : tree.root(actor.departmentId)?.id;
    const visible = everyone ? departments : departments.filter((department) => mine !== undefined && tree.root(department.id)?.id === mine);
    return {
      items: visible
        .map(({ id, name, parentId, active }) => ({ id, name, parentId, active }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }
}
