import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import {
  type Audience,
  AUDIENCES,
  DELIVERY_ROUTES,
  type DeliveryRoute,
  NOTIFIABLE_EVENTS,
  type NotifiableEvent,
} from '#rectification';

export class RoutingRuleDto {
  @ApiProperty({ enum: NOTIFIABLE_EVENTS })
  @IsIn(NOTIFIABLE_EVENTS)
  event: NotifiableEvent;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10, nullable: true, description: 'Escalations: only this level; omitted or null: every level' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  level?: number | null;

  @ApiProperty({ enum: AUDIENCES, description: 'Who, relative to the problem the event is about' })
  @IsIn(AUDIENCES)
  audience: Audience;

  @ApiProperty({ enum: DELIVERY_ROUTES, description: "email: each person's address; robot: the group robot(s) of the audience's department" })
  @IsIn(DELIVERY_ROUTES)
  route: DeliveryRoute;

  @ApiPropertyOptional({ description: 'Sent even to people who opted out (escalations always are)' })
  @IsOptional()
  @IsBoolean()
  mandatory?: boolean;
}

export class ReplaceRoutingDto {
  @ApiProperty({ type: [RoutingRuleDto], maxItems: 200, description: 'The whole table, in order; replaces the one in force' })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => RoutingRuleDto)
  rules: RoutingRuleDto[];
}
