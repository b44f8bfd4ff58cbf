import { ApiProperty } from '@nestjs/swagger';
import type { PublishedPolicy } from '#engine';
import type { DeadlinePolicy, LightRule, PolicyPreset } from '#rectification';
import { CategoryPeriodsDto, DeadlinePolicyDraftDto, LightRuleDto, NamedEscalationStepDto, RankingThresholdsDto, SeverityPeriodsDto } from './deadline-policy.dto.js';

export class DeadlinePolicyDto implements DeadlinePolicy {
  @ApiProperty({ example: 'default' })
  id: string;

  @ApiProperty({ type: 'integer' })
  version: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: () => SeverityPeriodsDto })
  rectificationWorkingDays: SeverityPeriodsDto;

  @ApiProperty({ type: [CategoryPeriodsDto] })
  categories: CategoryPeriodsDto[];

  @ApiProperty({ type: [Number] })
  remindersBeforeWorkingDays: number[];

  @ApiProperty({ type: [NamedEscalationStepDto] })
  escalation: NamedEscalationStepDto[];

  @ApiProperty({ type: 'integer' })
  verificationWorkingDays: number;

  @ApiProperty({ type: () => LightRuleDto })
  lights: LightRule;

  @ApiProperty({ type: () => RankingThresholdsDto })
  ranking: RankingThresholdsDto;
}

/** A preset's draft, complete. */
export class PresetDraftDto extends DeadlinePolicyDraftDto {
  @ApiProperty({ type: () => LightRuleDto })
  declare lights: LightRule;

  @ApiProperty({ type: [NamedEscalationStepDto] })
  declare escalation: NamedEscalationStepDto[];

  @ApiProperty({ type: () => RankingThresholdsDto })
  declare ranking: RankingThresholdsDto;
}

export class PolicyPublicationDto {
  @ApiProperty()
  actorId: string;

  @ApiProperty()
  actorName: string;

  @ApiProperty({ format: 'date-time' })
  at: string;

  @ApiProperty()
  note: string;
}

export class PublishedPolicyDto implements PublishedPolicy {
  @ApiProperty({ type: () => DeadlinePolicyDto })
  policy: DeadlinePolicyDto;

  @ApiProperty({ type: () => PolicyPublicationDto, nullable: true, description: 'Null for the built-in version 1' })
  publication: PolicyPublicationDto | null;
}

export class PolicyPresetDto implements PolicyPreset {
  @ApiProperty({ example: 'supervision-office' })
  key: string;

  @ApiProperty()
  description: string;

  @ApiProperty({ type: () => PresetDraftDto })
  draft: PresetDraftDto;
}
