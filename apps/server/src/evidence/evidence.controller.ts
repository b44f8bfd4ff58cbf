import { Body, Controller, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type Actor, DomainError, ProblemNotFoundError, UUID_PATTERN } from '#domain';
import { type EvidenceRecord, EvidenceService } from '#engine';
import { CurrentActor, Roles } from '../common/auth.js';
import { EvidenceIntegrityReportDto, EvidenceListDto, EvidenceRecordDto } from './dto/evidence.response.js';
import { UploadEvidenceDto } from './dto/upload-evidence.dto.js';

/** multer's in-memory file, as far as evidence needs it. */
interface UploadedEvidenceFile {
  buffer: Buffer;
  mimetype: string;
  originalname: string;
}

@ApiTags('evidence')
@Controller('problems/:id/evidence')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Post()
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({ summary: 'Upload an evidence file (multipart: `file`, `kind`); stored content-addressed, SHA-256 recorded' })
  @ApiCreatedResponse({ type: EvidenceRecordDto, description: 'The stored evidence' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: ['finding', 'rectification'] } },
    },
  })
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: UploadEvidenceDto,
    @UploadedFile() file: UploadedEvidenceFile | undefined,
  ): Promise<EvidenceRecord> {
    if (!UUID_PATTERN.test(id)) throw new ProblemNotFoundError(id);
    if (!file) {
      throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: file. Send the file as the multipart field `file`.', {
        fields: [{ field: 'file', messages: ['file is required'] }],
      });
    }
    return this.evidence.upload(actor, id.toLowerCase(), {
      kind: dto.kind,
      content: file.buffer,
      declaredType: file.mimetype,
      originalName: file.originalname,
    });
  }

  @Get()
  @ApiOperation({ summary: "A problem's evidence: kind, SHA-256, size, type, who uploaded it when, the submission that carried it" })
  @ApiOkResponse({ type: EvidenceListDto })
  async list(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<{ items: EvidenceRecord[] }> {
    if (!UUID_PATTERN.test(id)) throw new ProblemNotFoundError(id);
    return { items: await this.evidence.list(actor, id.toLowerCase()) };
  }

  @Get(':evidenceId/content')
  @ApiOperation({ summary: 'The file itself, with its type; ETag is its SHA-256' })
  @ApiOkResponse({
    description: 'The stored bytes, as an attachment, with the mediaType of its evidence row as Content-Type',
    content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
  })
  async content(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Param('evidenceId') evidenceId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    if (!UUID_PATTERN.test(id)) throw new ProblemNotFoundError(id);
    if (!UUID_PATTERN.test(evidenceId)) {
      throw new DomainError('EVIDENCE.NOT_FOUND', `Problem ${id} has no evidence ${evidenceId}; list it with GET /problems/${id}/evidence.`);
    }
    const { record, stream, fileName } = await this.evidence.content(actor, id.toLowerCase(), evidenceId);
    response.setHeader('ETag', `"${record.sha256}"`);
    response.setHeader('Cache-Control', 'private, no-cache');
    return new StreamableFile(stream, { type: record.mediaType, length: record.size, disposition: contentDisposition(fileName) });
  }
}

@ApiTags('admin')
@Roles('admin')
@Controller('admin/evidence')
export class EvidenceAdminController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get('verify')
  @ApiOperation({ summary: 'Re-hash every stored evidence file; lists rows whose file changed (mismatch) or is gone (missing)' })
  @ApiOkResponse({ type: EvidenceIntegrityReportDto })
  verify() {
    return this.evidence.verify();
  }
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987), so Chinese names survive. */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
