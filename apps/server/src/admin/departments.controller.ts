import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { OrganisationService } from '#identity';
import { CurrentActor, Roles } from '../common/auth.js';
import { CreateDepartmentDto, UpdateDepartmentDto } from './dto/department.dto.js';
import { DepartmentDto, DepartmentTreeDto } from './dto/department.response.js';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/departments')
export class DepartmentsController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get()
  @ApiOperation({ summary: 'The department tree (unit → supervising office → leadership), inactive ones included' })
  @ApiOkResponse({ type: DepartmentTreeDto })
  async tree() {
    return { items: await this.organisation.tree() };
  }

  @Post()
  @ApiOperation({ summary: 'Create a department, optionally under a supervising one' })
  @ApiCreatedResponse({ type: DepartmentDto })
  create(@CurrentActor() admin: Actor, @Body() dto: CreateDepartmentDto) {
    return this.organisation.create(admin, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One department' })
  @ApiOkResponse({ type: DepartmentDto })
  get(@Param('id') id: string) {
    return this.organisation.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, move (parentId) or change the head of a department' })
  @ApiOkResponse({ type: DepartmentDto })
  update(@CurrentActor() admin: Actor, @Param('id') id: string, @Body() dto: UpdateDepartmentDto) {
    return this.organisation.update(admin, id, dto);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a department with no open problems and no active sub-departments (409 otherwise)' })
  @ApiOkResponse({ type: DepartmentDto })
  deactivate(@CurrentActor() admin: Actor, @Param('id') id: string) {
    return this.organisation.deactivate(admin, id);
  }
}
