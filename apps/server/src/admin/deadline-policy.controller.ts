import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { DeadlinePolicyAdministration, DeadlinePolicyProvider } from '#engine';
import { CurrentActor, Roles } from '../common/auth.js';
import { editedPolicyOf, PublishDeadlinePolicyDto } from './dto/deadline-policy.dto.js';
import { PolicyPresetDto, PublishedPolicyDto } from './dto/deadline-policy.response.js';

/** The deadline policy in force and its versions: the rules every role works to, so every signed-in user may read them. */
@ApiTags('deadline-policy')
@Controller('deadline-policy')
export class DeadlinePolicyController {
  constructor(private readonly policies: DeadlinePolicyProvider) {}

  @Get()
  @ApiOperation({ summary: 'The deadline policy in force: periods per severity and category, reminders, escalation ladder, verification period' })
  @ApiOkResponse({ type: PublishedPolicyDto })
  current(): PublishedPolicyDto {
    return this.policies.published(this.policies.current().version)!;
  }

  @Get('versions')
  @ApiOperation({ summary: 'Every published version, newest first: running problems keep the version they were assigned under' })
  @ApiOkResponse({ type: [PublishedPolicyDto] })
  versions(): PublishedPolicyDto[] {
    return this.policies.history();
  }
}

@ApiTags('admin')
@Roles('admin')
@Controller('admin/deadline-policy')
export class DeadlinePolicyAdminController {
  constructor(private readonly administration: DeadlinePolicyAdministration) {}

  @Get('presets')
  @ApiOperation({ summary: 'Policies taken from practice (safety inspection, supervision office), to start a new version from' })
  @ApiOkResponse({ type: [PolicyPresetDto] })
  presets(): PolicyPresetDto[] {
    return [...this.administration.presets()];
  }

  @Post()
  @ApiOperation({
    summary:
      'Publish the next version: problems assigned (or reopened) from now on run under it, running ones when a supervisor recounts them. ' +
      '409 POLICY.VERSION_CONFLICT when another version was published since basedOnVersion; a draft equal to the version in force publishes nothing',
  })
  @ApiCreatedResponse({ type: PublishedPolicyDto })
  publish(@CurrentActor() admin: Actor, @Body() dto: PublishDeadlinePolicyDto): Promise<PublishedPolicyDto> {
    return this.administration.publish(admin, editedPolicyOf(dto.policy), dto.basedOnVersion, dto.note ?? '');
  }
}
