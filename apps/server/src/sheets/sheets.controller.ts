import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';
import { type Actor, DomainError } from '#domain';
import type { SheetVerification, StoredSheet } from '#engine';
import { CurrentActor } from '../common/auth.js';
import { ListSheetsQueryDto, RespondToSheetDto, SHEET_PAGE, SheetDto, SheetListDto, SheetPageDto, SheetQueryDto, SheetVerificationDto, SheetVerifyQueryDto } from './dto/sheet.dto.js';
import { SheetsService } from './sheets.service.js';

@ApiTags('sheets')
@Controller()
export class SheetsController {
  constructor(private readonly sheets: SheetsService) {}

  @Get('problems/:id/sheets')
  @ApiOperation({ summary: 'A problem’s numbered supervision sheets (督办单), one per ladder step it reached, in number order' })
  @ApiOkResponse({ type: SheetListDto })
  async forProblem(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<{ items: StoredSheet[] }> {
    return { items: await this.sheets.forProblem(actor, id) };
  }

  @Get('sheets')
  @ApiOperation({ summary: 'The sheets’ registry (督办单台账): the sheets of the problems in my scope, newest first, by year, department and where their written response stands' })
  @ApiOkResponse({ type: SheetPageDto })
  list(@CurrentActor() actor: Actor, @Query() query: ListSheetsQueryDto): Promise<{ items: StoredSheet[]; nextCursor: string | null }> {
    const { limit = SHEET_PAGE.default, department, ...filter } = query;
    return this.sheets.list(actor, { ...filter, ...(department ? { departmentId: department } : {}) }, limit);
  }

  @Get('sheets/:number')
  @ApiOperation({ summary: 'One supervision sheet by its number (督〔2026〕17号 or 2026-17); format=pdf: the sheet as issued, A4 with its QR code' })
  @ApiExtraModels(SheetDto)
  @ApiOkResponse({
    description: 'format=json: the sheet; pdf: the sheet as issued, to download',
    content: { 'application/json': { schema: { $ref: getSchemaPath(SheetDto) } }, 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  async sheet(
    @CurrentActor() actor: Actor,
    @Param('number') number: string,
    @Query() query: SheetQueryDto,
    @Req() request: Request,
  ): Promise<StoredSheet | StreamableFile> {
    if (query.format !== 'pdf') return this.sheets.find(actor, number, query.organisation);
    const { sheet, pdf } = await this.sheets.pdf(actor, number, query.organisation, { protocol: request.protocol, host: request.get('host') ?? '' });
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      length: pdf.length,
      disposition: `attachment; filename="sheet-${sheet.year}-${sheet.sequence}.pdf"; filename*=UTF-8''${encodeURIComponent(`${sheet.number}.pdf`)}`,
    });
  }

  @Get('sheets/:number/verify')
  @ApiOperation({ summary: 'Whether the sheet matches the tamper-evident history: the issuing row’s hash, and the chain up to it' })
  @ApiOkResponse({ type: SheetVerificationDto })
  verify(@CurrentActor() actor: Actor, @Param('number') number: string, @Query() query: SheetVerifyQueryDto): Promise<SheetVerification> {
    return this.sheets.verify(actor, number, query.organisation);
  }

  @Post('sheets/:number/verify')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Verifies a PDF copy (multipart: `file`): the history as GET does, and the copy byte for byte against the sheet as issued' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOkResponse({ type: SheetVerificationDto })
  verifyCopy(
    @CurrentActor() actor: Actor,
    @Param('number') number: string,
    @Query() query: SheetVerifyQueryDto,
    @UploadedFile() file: { buffer: Buffer } | undefined,
  ): Promise<SheetVerification> {
    if (!file) {
      throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: file. Send the PDF copy as the multipart field `file`.', {
        fields: [{ field: 'file', messages: ['file is required'] }],
      });
    }
    return this.sheets.verify(actor, number, query.organisation, file.buffer);
  }

  @Post('sheets/:number/response')
  @HttpCode(200)
  @ApiOperation({ summary: 'The responsible department’s written response (书面回复) to a sheet that asks for one: once, by one of its members' })
  @ApiOkResponse({ type: SheetDto, description: 'The sheet with its response' })
  respond(@CurrentActor() actor: Actor, @Param('number') number: string, @Query() query: SheetVerifyQueryDto, @Body() body: RespondToSheetDto): Promise<StoredSheet> {
    return this.sheets.respond(actor, number, query.organisation, body.text);
  }
}
