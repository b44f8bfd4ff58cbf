import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsUrl, IsUUID, MaxLength } from 'class-validator';
import { DOMAIN_EVENT_NAMES } from '#rectification';
import { PageSizeQueryDto } from '../../common/dto/page-size.query.dto.js';

export const EVENT_TYPES = [...new Set(Object.values(DOMAIN_EVENT_NAMES))].sort();

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://ledger.example.org/hooks/rectification', maxLength: 2000, description: 'http or https' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, description: 'Event types to deliver; omitted or empty: all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: "Only events of problems assigned to this department (the event's problem department)" })
  @IsOptional()
  @IsUUID()
  departmentId?: string;
}

export class ListDeliveriesQueryDto extends PageSizeQueryDto {
}
