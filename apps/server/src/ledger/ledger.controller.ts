import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '#domain';
import { cellsOf, headersOf, LEDGER_COLUMNS, RANKING_COLUMNS, SUMMARY_COLUMNS } from '#ledger';
import { CurrentActor } from '../common/auth.js';
import { DASHBOARD_WEEKS, DashboardQueryDto } from './dto/dashboard.query.dto.js';
import { DashboardDto } from './dto/dashboard.response.js';
import { LedgerQueryDto, LedgerSummaryQueryDto } from './dto/ledger.query.dto.js';
import { LedgerPageDto, LedgerSummaryDto, RankingDto } from './dto/ledger.response.js';
import { type DashboardView } from './ledger.service.js';
import { type Cells, EXPORT_TYPES, streamCsv, streamXlsx } from './ledger-export.js';
import { LedgerService } from './ledger.service.js';

/** The answer in each format: JSON as `json` describes it, the exports as the file they are. */
function answers(json: new () => object) {
  const file = { schema: { type: 'string' as const, format: 'binary' } };
  return {
    'application/json': { schema: { $ref: getSchemaPath(json) } },
    [EXPORT_TYPES.csv.contentType]: file,
    [EXPORT_TYPES.xlsx.contentType]: file,
  };
}

/** The rectification ledger (台账): one row per problem in the caller's scope, and its summary; JSON, CSV or XLSX. */
@ApiTags('ledger')
@Controller('ledger')
export class LedgerController {
  constructor(private readonly ledger: LedgerService) {}

  @Get()
  @ApiOperation({
    summary: 'The ledger: one row per problem in my scope (filters as GET /problems, plus found-date period); json pages by cursor, csv/xlsx hold every row',
  })
  @ApiExtraModels(LedgerPageDto)
  @ApiOkResponse({ description: 'format=json: a page of rows; csv, xlsx: every row, as a file to download', content: answers(LedgerPageDto) })
  async rows(@CurrentActor() actor: Actor, @Query() query: LedgerQueryDto, @Res() response: Response): Promise<void> {
    const { format = 'json', lang = 'zh' } = query;
    if (format === 'json') {
      response.json(await this.ledger.page(actor, query));
      return;
    }
    const zone = this.ledger.timeZone();
    const rows = this.mapBatches(this.ledger.rows(actor, query), (row) => cellsOf(LEDGER_COLUMNS, row, lang, zone));
    await this.export(response, format, 'ledger', lang === 'zh' ? '整改台账' : 'Ledger', headersOf(LEDGER_COLUMNS, lang), rows);
  }

  @Get('summary')
  @ApiOperation({
    summary: 'The ledger summed up per department and per inspection: total, closed, open, overdue, on-time rate (denominator: closed), average working days to close, extensions, rework rounds',
  })
  @ApiExtraModels(LedgerSummaryDto)
  @ApiOkResponse({ description: 'format=json: the summary; csv, xlsx: all, then each department, then each inspection, one row each, as a file to download', content: answers(LedgerSummaryDto) })
  async summary(@CurrentActor() actor: Actor, @Query() query: LedgerSummaryQueryDto, @Res() response: Response): Promise<void> {
    const { format = 'json', lang = 'zh' } = query;
    const summary = await this.ledger.summary(actor, query, format === 'json' ? 'en' : lang);
    if (format === 'json') {
      response.json(summary);
      return;
    }
    const groups = [summary.all, ...summary.byDepartment, ...summary.byInspection];
    const zone = this.ledger.timeZone();
    const rows = (async function* () {
      yield groups.map((group) => cellsOf(SUMMARY_COLUMNS, group, lang, zone));
    })();
    await this.export(response, format, 'ledger-summary', lang === 'zh' ? '台账汇总' : 'Summary', headersOf(SUMMARY_COLUMNS, lang), rows);
  }

  @Get('ranking')
  @ApiOperation({
    summary: 'The departments ranked (部门排名) over a period of found dates, each on the red, yellow or black list (红黄黑榜) by the thresholds of the deadline policy in force; the on-time rate against the original deadline apart from the one with extensions',
  })
  @ApiExtraModels(RankingDto)
  @ApiOkResponse({ description: 'format=json: the ranking, best first; csv, xlsx: one row per department, as a file to download', content: answers(RankingDto) })
  async ranking(@CurrentActor() actor: Actor, @Query() query: LedgerSummaryQueryDto, @Res() response: Response): Promise<void> {
    const { format = 'json', lang = 'zh' } = query;
    const ranking = await this.ledger.ranking(actor, query);
    if (format === 'json') {
      response.json(ranking);
      return;
    }
    const zone = this.ledger.timeZone();
    const rows = (async function* () {
      yield ranking.departments.map((row) => cellsOf(RANKING_COLUMNS, row, lang, zone));
    })();
    await this.export(response, format, 'ranking', lang === 'zh' ? '部门排名' : 'Ranking', headersOf(RANKING_COLUMNS, lang), rows);
  }

  @Get('dashboard')
  @ApiOperation({
    summary: 'The supervision dashboard (督办驾驶舱): open problems per department per traffic light, per escalation step they stand at, and found against closed per week (Monday to Sunday, the last weeks up to now)',
  })
  @ApiOkResponse({ type: DashboardDto })
  dashboard(@CurrentActor() actor: Actor, @Query() query: DashboardQueryDto): Promise<DashboardView> {
    const { weeks = DASHBOARD_WEEKS.default, ...filters } = query;
    return this.ledger.dashboard(actor, filters, weeks);
  }

  private async *mapBatches<T>(batches: AsyncIterable<T[]>, toCells: (row: T) => Cells): AsyncGenerator<Cells[]> {
    for await (const batch of batches) yield batch.map(toCells);
  }

  private async export(
    response: Response,
    format: 'csv' | 'xlsx',
    name: string,
    sheetName: string,
    headers: string[],
    rows: AsyncIterable<Cells[]>,
  ): Promise<void> {
    const type = EXPORT_TYPES[format];
    response.status(200);
    response.setHeader('Content-Type', type.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="${name}.${type.extension}"`);
    if (format === 'csv') await streamCsv(response, headers, rows);
    else await streamXlsx(response, sheetName, headers, rows);
  }
}
