import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { InspectionService, type InspectionView } from '#engine';
import { FILING_ROLES } from '#rectification';
import { CurrentActor, Roles } from '../common/auth.js';
import { AddInspectionMemberDto, CreateInspectionDto, ListInspectionsQueryDto, UpdateInspectionDto } from './dto/inspection.dto.js';
import { InspectionPageDto, InspectionViewDto } from './dto/inspection.response.js';

const DEFAULT_PAGE_SIZE = 50;

/** Inspections and their teams. `:inspection` is an inspection's id, or its reference in your organisation. */
@ApiTags('inspections')
@Controller('inspections')
export class InspectionsController {
  constructor(private readonly inspections: InspectionService) {}

  @Post()
  @Roles(...FILING_ROLES)
  @ApiOperation({ summary: 'Create an inspection (you are on its team); its reference is unique within your organisation' })
  @ApiCreatedResponse({ type: InspectionViewDto, description: 'The new inspection' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateInspectionDto): Promise<InspectionView> {
    return this.inspections.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The inspections you can see (team, supervised office, inspected department), newest first' })
  @ApiOkResponse({ type: InspectionPageDto })
  async list(@CurrentActor() actor: Actor, @Query() query: ListInspectionsQueryDto): Promise<{ items: InspectionView[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.inspections.list(actor, { reference: query.reference, after: query.cursor, limit: limit + 1 });
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  @Get(':inspection')
  @ApiOperation({ summary: 'One inspection with its team and what you may do with it' })
  @ApiOkResponse({ type: InspectionViewDto })
  get(@CurrentActor() actor: Actor, @Param('inspection') inspection: string): Promise<InspectionView> {
    return this.inspections.get(actor, inspection);
  }

  @Patch(':inspection')
  @ApiOperation({ summary: 'Change title, kind, dates or inspected departments (its creator, a supervisor over it, an admin; audited)' })
  @ApiOkResponse({ type: InspectionViewDto, description: 'The inspection after the change' })
  update(@CurrentActor() actor: Actor, @Param('inspection') inspection: string, @Body() dto: UpdateInspectionDto): Promise<InspectionView> {
    return this.inspections.update(actor, inspection, dto);
  }

  @Post(':inspection/members')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an inspector or supervisor to the team: they then see every problem of the inspection (audited)' })
  @ApiOkResponse({ type: InspectionViewDto, description: 'The inspection with its team now' })
  addMember(@CurrentActor() actor: Actor, @Param('inspection') inspection: string, @Body() dto: AddInspectionMemberDto): Promise<InspectionView> {
    return this.inspections.addMember(actor, inspection, dto.userId.toLowerCase());
  }

  @Delete(':inspection/members/:userId')
  @ApiOperation({ summary: 'Remove someone from the team (audited); the problems they filed stay theirs to see' })
  @ApiOkResponse({ type: InspectionViewDto, description: 'The inspection with its team now' })
  removeMember(@CurrentActor() actor: Actor, @Param('inspection') inspection: string, @Param('userId') userId: string): Promise<InspectionView> {
    return this.inspections.removeMember(actor, inspection, userId.toLowerCase());
  }
}
