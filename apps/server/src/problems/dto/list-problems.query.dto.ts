import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, isUUID, Matches, MaxLength, ValidateBy } from 'class-validator';
import { PROBLEM_STATES, type ProblemState, SEVERITIES, type Severity, UUID_PATTERN } from '#domain';
import { PENDING_REQUEST_FILTERS, type PendingRequestFilter } from '#engine';
import { DEADLINE_STATES, TRAFFIC_LIGHTS } from '#rectification';
import { PageSizeQueryDto } from '../../common/dto/page-size.query.dto.js';

export const PROBLEM_SORTS = ['newest', 'deadline'] as const;
export type ProblemSort = (typeof PROBLEM_SORTS)[number];

/** A query value that is one or more of `values`, comma-separated (e.g. `red,black`); read it with commaList. */
function IsCommaListOf(values: readonly string[], field: string): PropertyDecorator {
  const list = new RegExp(`^(${values.join('|')})(,(${values.join('|')}))*$`);
  return Matches(list, { message: `${field} must be one or more of ${values.join(', ')}, comma-separated` });
}
/** A stored deadline as the cursor carries it: an ISO instant (the column holds at most 30 characters). */
const CURSOR_DEADLINE = /^\d{4}-\d{2}-\d{2}T[0-9:.+\-Z]{1,19}$/;

/** A cursor of the list's own sort: an id for `newest`, `<deadline>~<id>` for `deadline` (a cursor of the other sort is refused). */
function IsProblemCursor(): PropertyDecorator {
  return ValidateBy({
    name: 'isProblemCursor',
    validator: {
      validate: (value: unknown, args) => {
        if (typeof value !== 'string') return false;
        if ((args?.object as ListProblemsQueryDto | undefined)?.sort !== 'deadline') return isUUID(value);
        const separator = value.lastIndexOf('~');
        if (separator < 0) return false;
        const deadline = value.slice(0, separator);
        return (deadline === '' || CURSOR_DEADLINE.test(deadline)) && UUID_PATTERN.test(value.slice(separator + 1));
      },
      defaultMessage: (args) =>
        (args?.object as ListProblemsQueryDto | undefined)?.sort === 'deadline'
          ? 'cursor must be the nextCursor of a list sorted by deadline: <deadline>~<id>'
          : 'cursor must be the nextCursor of the previous page (a problem id)',
    },
  });
}

export class ListProblemsQueryDto extends PageSizeQueryDto {
  @ApiPropertyOptional({ enum: PROBLEM_STATES })
  @IsOptional()
  @IsIn(PROBLEM_STATES)
  state?: ProblemState;

  @ApiPropertyOptional({ description: 'Responsible department id' })
  @IsOptional()
  @IsUUID()
  department?: string;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;

  @ApiPropertyOptional({ description: 'Inspection id, or inspection reference' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  inspection?: string;

  @ApiPropertyOptional({ description: 'Text searched in title, description and location (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string;

  @ApiPropertyOptional({
    description: 'Deadline states, any of them, comma-separated (e.g. `dueSoon,overdue`); `notSet` also matches rows from before deadline states were stored',
    example: 'dueSoon,overdue',
  })
  @IsOptional()
  @IsCommaListOf(DEADLINE_STATES, 'deadlineState')
  deadlineState?: string;

  @ApiPropertyOptional({
    description: 'Traffic lights (红黄绿灯), any of them, comma-separated (e.g. `red,black`); a problem with no light (not assigned, with the verifier, suspended, finished) matches none',
    example: 'red,black',
  })
  @IsOptional()
  @IsCommaListOf(TRAFFIC_LIGHTS, 'light')
  light?: string;

  @ApiPropertyOptional({
    enum: PENDING_REQUEST_FILTERS,
    description: 'Only problems with a request of this kind waiting for a supervisor’s decision (`any`: extension or suspension)',
  })
  @IsOptional()
  @IsIn(PENDING_REQUEST_FILTERS)
  pendingRequest?: PendingRequestFilter;

  @ApiPropertyOptional({
    enum: PROBLEM_SORTS,
    default: 'newest',
    description: '`newest`: newest filed first. `deadline`: earliest deadline first, problems without one last, ties by id (oldest first)',
  })
  @IsOptional()
  @IsIn(PROBLEM_SORTS)
  sort?: ProblemSort;

  @ApiPropertyOptional({
    description:
      '`nextCursor` of the previous page, of the same `sort`. Sorted by `newest` it is the last problem\'s id; sorted by `deadline` ' +
      'it is `<deadline>~<id>` of the last problem (`~<id>` when it has no deadline), so the next page starts after that deadline and id',
  })
  @IsOptional()
  @IsProblemCursor()
  cursor?: string;
}

/** The same filters as the list, without paging, sorting, the deadline-state or the pending-request filter (the ledger summary shares them). */
export class CountProblemsQueryDto extends OmitType(ListProblemsQueryDto, ['cursor', 'limit', 'sort', 'deadlineState', 'pendingRequest'] as const) {}

/** The list's deadline-state filter as the repository takes it. */
/** A value IsCommaListOf checked, as its distinct members. */
export function commaList<T extends string>(list: string | undefined): T[] | undefined {
  return list === undefined ? undefined : ([...new Set(list.split(','))] as T[]);
}

/** Where a page sorted by deadline ends: the last problem's deadline (null: it has none) and id. */
export interface DeadlineCursor {
  deadline: string | null;
  id: string;
}

export function encodeDeadlineCursor(cursor: DeadlineCursor): string {
  return `${cursor.deadline ?? ''}~${cursor.id}`;
}

/** The cursor of a `deadline` list, validated by IsProblemCursor first. */
export function decodeDeadlineCursor(text: string): DeadlineCursor {
  const separator = text.lastIndexOf('~');
  const deadline = text.slice(0, separator);
  return { deadline: deadline === '' ? null : deadline, id: text.slice(separator + 1).toLowerCase() };
}
