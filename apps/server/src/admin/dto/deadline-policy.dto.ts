import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import type { RankingThresholds, Severity } from '#domain';
import type { EditedPolicy } from '#engine';
import {
  type DeadlinePolicyDraft,
  type EscalationRecipients,
  type EscalationStep,
  LIGHT_RULE_KINDS,
  type LightRule,
  POLICY_LIMITS,
} from '#rectification';

// POST /admin/deadline-policy: the shape here; ranges, order and duplicates are the policy's own rules
// (policyDraftProblems), answered as VALIDATION_FAILED naming each field.

const RECIPIENTS = ['departmentHead', 'supervisingOffice', 'leadership'] as const satisfies readonly EscalationRecipients[];

export class SeverityPeriodsDto implements Record<Severity, number> {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: POLICY_LIMITS.maxWorkingDays, example: 3 })
  @IsInt()
  critical: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: POLICY_LIMITS.maxWorkingDays, example: 10 })
  @IsInt()
  major: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: POLICY_LIMITS.maxWorkingDays, example: 20 })
  @IsInt()
  general: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: POLICY_LIMITS.maxWorkingDays, example: 30 })
  @IsInt()
  minor: number;
}

export class CategoryPeriodsDto {
  @ApiProperty({ maxLength: POLICY_LIMITS.maxCategoryLength, example: '领导批示（紧急）', description: "A problem's category, exactly as filed" })
  @IsString()
  @MaxLength(POLICY_LIMITS.maxCategoryLength)
  category: string;

  @ApiProperty({ type: () => SeverityPeriodsDto })
  @ValidateNested()
  @Type(() => SeverityPeriodsDto)
  rectificationWorkingDays: SeverityPeriodsDto;
}

export class EscalationStepDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Steps are numbered 1, 2, 3… in order' })
  @IsInt()
  level: number;

  @ApiPropertyOptional({ maxLength: POLICY_LIMITS.maxStepNameLength, example: '督办通知书', description: 'What the office calls the step; omitted: 一级督办, 二级督办 … by its level' })
  @IsOptional()
  @IsString()
  @MaxLength(POLICY_LIMITS.maxStepNameLength)
  name?: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: POLICY_LIMITS.maxWorkingDays, description: 'Working days after the deadline; later for each step' })
  @IsInt()
  workingDaysAfterDeadline: number;

  @ApiProperty({ enum: RECIPIENTS })
  @IsIn(RECIPIENTS)
  recipients: EscalationRecipients;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: POLICY_LIMITS.maxWorkingDays,
    example: 3,
    description: 'The step’s sheet asks the department for a written response (书面回复) within this many working days of its issue; null or omitted: none',
  })
  @IsOptional()
  @ValidateIf((_step, value) => value !== null)
  @IsInt()
  responseWorkingDays?: number | null;
}

/** A light rule as the HTTP layer reads it: the lags are there exactly when the rule is by progress. */
export class LightRuleDto {
  @ApiProperty({
    enum: LIGHT_RULE_KINDS,
    description: 'timeLeft: green on track, yellow from the first reminder, red when overdue, black from a step of the ladder; progress: yellow and red by how far the reported percent lags the elapsed share of the working days, red when overdue, black from a step',
  })
  @IsIn(LIGHT_RULE_KINDS)
  kind: LightRule['kind'];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, example: 20, description: 'progress only: yellow from this many percentage points behind the plan' })
  @ValidateIf((rule: LightRuleDto) => rule.kind === 'progress')
  @IsInt()
  yellowLagPoints?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, example: 40, description: 'progress only: red from this many points behind (more than yellow)' })
  @ValidateIf((rule: LightRuleDto) => rule.kind === 'progress')
  @IsInt()
  redLagPoints?: number;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, example: 3, description: 'The ladder step from which a problem is black; null: never' })
  @ValidateIf((_rule, value) => value !== null)
  @IsInt()
  blackFromEscalationLevel: number | null;
}

/** A step as published: its name always given. */
export class NamedEscalationStepDto extends EscalationStepDto implements EscalationStep {
  @ApiProperty({ maxLength: POLICY_LIMITS.maxStepNameLength, example: '督办通知书' })
  declare name: string;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, example: 3, description: 'Working days the department has to respond in writing to the step’s sheet; null: no response asked' })
  declare responseWorkingDays: number | null;
}

/** The policy a validated draft describes (its light rule as the rule it names). */
export function editedPolicyOf(dto: DeadlinePolicyDraftDto): EditedPolicy {
  const { lights, ...rest } = dto;
  return { ...rest, lights: lights && lightRuleOf(lights) };
}

/** The rule a validated LightRuleDto describes. */
export function lightRuleOf(dto: LightRuleDto): LightRule {
  if (dto.kind === 'progress') {
    return { kind: 'progress', yellowLagPoints: dto.yellowLagPoints!, redLagPoints: dto.redLagPoints!, blackFromEscalationLevel: dto.blackFromEscalationLevel };
  }
  return { kind: 'timeLeft', blackFromEscalationLevel: dto.blackFromEscalationLevel };
}

export class RankingThresholdsDto implements RankingThresholds {
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.95, description: 'Red list (红榜): at least this on-time rate against the original deadline, nothing overdue or escalated' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  redFromOnTimeRate: number;

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.8, description: 'Yellow list (黄榜): an on-time rate below this …' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  yellowBelowOnTimeRate: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: POLICY_LIMITS.maxListCount, example: 1, description: '… or at least this many problems open and overdue' })
  @IsInt()
  yellowFromOverdue: number;

  @ApiProperty({ minimum: 0, maximum: 1, example: 0.6, description: 'Black list (黑榜): an on-time rate below this …' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  blackBelowOnTimeRate: number;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: POLICY_LIMITS.maxListCount, example: 3, description: '… or at least this many problems escalated; null: never by escalations' })
  @ValidateIf((_thresholds, value) => value !== null)
  @IsInt()
  blackFromEscalated: number | null;
}

/** A draft as POSTed: `lights` and `ranking` may be left out (then those of the version in force are kept). */
export class DeadlinePolicyDraftDto implements Omit<DeadlinePolicyDraft, 'lights' | 'ranking' | 'escalation'> {
  @ApiProperty({ maxLength: POLICY_LIMITS.maxNameLength, example: '安全检查整改时限' })
  @IsString()
  @MaxLength(POLICY_LIMITS.maxNameLength)
  name: string;

  @ApiProperty({ type: () => SeverityPeriodsDto, description: 'Working days to rectify, per severity' })
  @ValidateNested()
  @Type(() => SeverityPeriodsDto)
  rectificationWorkingDays: SeverityPeriodsDto;

  @ApiProperty({ type: [CategoryPeriodsDto], maxItems: POLICY_LIMITS.maxCategories, description: 'Kinds of matter with periods of their own' })
  @IsArray()
  @ArrayMaxSize(POLICY_LIMITS.maxCategories)
  @ValidateNested({ each: true })
  @Type(() => CategoryPeriodsDto)
  categories: CategoryPeriodsDto[];

  @ApiProperty({ type: [Number], maxItems: POLICY_LIMITS.maxReminders, example: [3, 1], description: 'Reminders, in working days before the deadline' })
  @IsArray()
  @ArrayMaxSize(POLICY_LIMITS.maxReminders)
  @IsInt({ each: true })
  remindersBeforeWorkingDays: number[];

  @ApiProperty({ type: [EscalationStepDto], maxItems: POLICY_LIMITS.maxEscalationSteps, description: 'The escalation ladder, lowest step first' })
  @IsArray()
  @ArrayMaxSize(POLICY_LIMITS.maxEscalationSteps)
  @ValidateNested({ each: true })
  @Type(() => EscalationStepDto)
  escalation: EscalationStepDto[];

  @ApiProperty({ type: 'integer', minimum: 1, maximum: POLICY_LIMITS.maxWorkingDays, description: 'Working days to verify a submitted rectification' })
  @IsInt()
  verificationWorkingDays: number;

  @ApiPropertyOptional({ type: () => LightRuleDto, description: 'How problems are lit (红黄绿灯); omitted: as in the version in force' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LightRuleDto)
  lights?: LightRuleDto;

  @ApiPropertyOptional({ type: () => RankingThresholdsDto, description: 'What puts a department on the red, yellow or black list (红黄黑榜); omitted: as in the version in force' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RankingThresholdsDto)
  ranking?: RankingThresholdsDto;
}

export class PublishDeadlinePolicyDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The version this draft was edited from: 409 when another was published since' })
  @IsInt()
  basedOnVersion: number;

  @ApiPropertyOptional({ maxLength: 500, example: '按 2026 年督查督办办法调整时限', description: 'Why this version' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @ApiProperty({ type: () => DeadlinePolicyDraftDto })
  @ValidateNested()
  @Type(() => DeadlinePolicyDraftDto)
  policy: DeadlinePolicyDraftDto;
}
