import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Actor } from '#domain';
import { CurrentActor } from '../common/auth.js';
import { DeadlineExplanationDto } from './dto/deadline-explanation.response.js';
import { FileProblemDto } from './dto/file-problem.dto.js';
import { CountProblemsQueryDto, ListProblemsQueryDto } from './dto/list-problems.query.dto.js';
import { PROBLEM_EVENT_DTOS } from './dto/problem-event.dto.js';
import { HistoryDto, ProblemChainReportDto, ProblemCountsDto, ProblemDetailDto, ProblemPageDto, ProblemViewDto } from './dto/problem.response.js';
import { ProblemsService } from './problems.service.js';

const EVENT_DTO_CLASSES = Object.values(PROBLEM_EVENT_DTOS);

@ApiTags('problems')
@Controller('problems')
export class ProblemsController {
  constructor(private readonly problems: ProblemsService) {}

  @Post()
  @ApiOperation({ summary: 'File a problem (finding) found by an inspection' })
  @ApiCreatedResponse({ type: ProblemViewDto, description: 'The filed problem, as the filer sees it' })
  file(@CurrentActor() actor: Actor, @Body() dto: FileProblemDto) {
    return this.problems.file(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List problems, newest first, with cursor pagination' })
  @ApiOkResponse({ type: ProblemPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListProblemsQueryDto) {
    return this.problems.list(actor, query);
  }

  // Declared before ':id' so that "counts" is not taken for an id.
  @Get('counts')
  @ApiOperation({ summary: 'How many problems in my scope match the filters, per state' })
  @ApiOkResponse({ type: ProblemCountsDto })
  counts(@CurrentActor() actor: Actor, @Query() query: CountProblemsQueryDto) {
    return this.problems.counts(actor, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One problem, with the events this caller may send now' })
  @ApiOkResponse({ type: ProblemDetailDto })
  get(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.problems.get(actor, id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a workflow event (ASSIGN, START, SUBMIT, APPROVE, …) to a problem' })
  @ApiOkResponse({ type: ProblemViewDto, description: 'The problem after the event' })
  @ApiExtraModels(...EVENT_DTO_CLASSES)
  @ApiBody({
    schema: {
      oneOf: EVENT_DTO_CLASSES.map((dto) => ({ $ref: getSchemaPath(dto) })),
      discriminator: { propertyName: 'type', mapping: Object.fromEntries(Object.entries(PROBLEM_EVENT_DTOS).map(([type, dto]) => [type, getSchemaPath(dto)])) },
    },
  })
  @ApiHeader({ name: 'if-match', required: false, description: 'Expected version, instead of expectedVersion (If-Match)' })
  send(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @Headers('if-match') ifMatch?: string,
  ) {
    return this.problems.sendEvent(actor, id, body, ifMatch);
  }

  @Get(':id/deadline')
  @ApiOperation({
    summary: 'The deadline explained: calendar used, working days counted and skipped (weekend, holiday, closure), elapsed and remaining, planned reminders and escalations with recipients',
  })
  @ApiOkResponse({ type: DeadlineExplanationDto })
  deadline(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.problems.deadline(actor, id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every accepted event of a problem, in order: who, what, when, resulting version' })
  @ApiOkResponse({ type: HistoryDto })
  history(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.problems.history(actor, id);
  }

  @Get(':id/history/verify')
  @ApiOperation({
    summary: 'Verify the tamper-evident history: recompute the hash chain of every row and name the first row that does not match',
  })
  @ApiOkResponse({ type: ProblemChainReportDto })
  verifyHistory(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.problems.verifyHistory(actor, id);
  }
}
