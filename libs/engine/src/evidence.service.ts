import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { type Actor, Clock, DomainError, newId, ProblemNotFoundError } from '#domain';
import {
  EVIDENCE_CLOSED_STATES,
  type EvidenceKind,
  evidenceUploadError,
  type WorkflowPolicies,
} from '#rectification';
import { AccessPolicy, permissionFactsFor, scopeOf } from '#access';
import { evidenceFileName } from './evidence-name.js';
import { sniffMediaType } from './evidence-sniff.js';
import { WORKFLOW_POLICIES } from './engine.tokens.js';
import { EVIDENCE_OPTIONS, type EvidenceOptions } from './evidence.options.js';
import { EvidenceContentStore, type EvidenceRecord, EvidenceRepository } from './evidence.repository.js';
import { ProblemRepository } from './problem.repository.js';

export interface EvidenceUpload {
  kind: EvidenceKind;
  content: Buffer;
  declaredType: string;
  originalName: string;
}

export interface IntegrityReport {
  ok: boolean;
  checkedRows: number;
  checkedFiles: number;
  mismatches: Array<{ evidenceId: string; problemId: string; sha256: string; actualSha256: string }>;
  missing: Array<{ evidenceId: string; problemId: string; sha256: string }>;
}

/**
 * Evidence of problems: who may add which kind, what is accepted, where it is stored, who may read it, and the
 * integrity check. Problem state is not touched here: a submission links evidence through the engine.
 */
@Injectable()
export class EvidenceService {
  constructor(
    private readonly problems: ProblemRepository,
    private readonly evidence: EvidenceRepository,
    private readonly store: EvidenceContentStore,
    private readonly access: AccessPolicy,
    private readonly clock: Clock,
    @Inject(EVIDENCE_OPTIONS) private readonly options: EvidenceOptions,
    @Inject(WORKFLOW_POLICIES) private readonly policies: WorkflowPolicies,
  ) {}

  /**
   * Checks everything before a byte is written (scope 404 → permission 403 → state 409 → size 413 → type 415),
   * so a refused upload leaves no file and no row; a row that fails to insert takes its new file with it.
   */
  async upload(actor: Actor, problemId: string, upload: EvidenceUpload): Promise<EvidenceRecord> {
    const caller = await this.access.callerFor(actor);
    const problem = await this.problems.findVisible(problemId, scopeOf(caller));
    if (!problem) throw new ProblemNotFoundError(problemId);
    const denied = evidenceUploadError(this.policies.evidence, actor, upload.kind, permissionFactsFor(caller, problem));
    if (denied) throw denied;
    if (EVIDENCE_CLOSED_STATES.includes(problem.state)) {
      throw new DomainError('EVIDENCE.PROBLEM_FINISHED', `The problem is ${problem.state}: its evidence is final and no file can be added.`, {
        state: problem.state,
      });
    }
    if (upload.content.length > this.options.maxBytes) {
      throw new DomainError('PAYLOAD_TOO_LARGE', `The file is larger than ${this.options.maxBytes} bytes (EVIDENCE_MAX_BYTES).`, {
        maxBytes: this.options.maxBytes,
      });
    }
    if (upload.content.length === 0) {
      throw new DomainError('VALIDATION_FAILED', 'The request has invalid fields: file. The file is empty.', {
        fields: [{ field: 'file', messages: ['file must not be empty'] }],
      });
    }
    const declared = upload.declaredType.split(';')[0].trim().toLowerCase();
    const mediaType = sniffMediaType(upload.content, declared);
    if (mediaType === null || !this.options.allowedTypes.includes(mediaType)) {
      throw new DomainError(
        'EVIDENCE.UNSUPPORTED_TYPE',
        mediaType === null
          ? `The file's content does not match its declared type ${declared || '(none)'}; accepted: ${this.options.allowedTypes.join(', ')}.`
          : `Files of type ${mediaType} are not accepted; accepted: ${this.options.allowedTypes.join(', ')}.`,
        { declaredType: declared, allowedTypes: this.options.allowedTypes },
      );
    }

    const { sha256, created } = await this.store.put(upload.content);
    const record: EvidenceRecord = {
      id: newId(),
      problemId: problem.id,
      kind: upload.kind,
      sha256,
      size: upload.content.length,
      mediaType,
      // Stored under a name that cannot pass for another type (the download offers this name too).
      originalName: evidenceFileName(upload.originalName, mediaType),
      uploadedBy: actor.userId,
      uploadedAt: this.clock.now().toISOString(),
      submittedInVersion: null,
    };
    try {
      await this.evidence.insert(record);
    } catch (error) {
      if (created && (await this.evidence.countWithSha256(sha256)) === 0) await this.store.remove(sha256);
      throw error;
    }
    return record;
  }

  /** The problem's evidence, for anyone who may read the problem (out of scope: 404). */
  async list(actor: Actor, problemId: string): Promise<EvidenceRecord[]> {
    const problem = await this.visible(actor, problemId);
    return this.evidence.listFor(problem.id);
  }

  /**
   * The file, and the name to offer it under: the stored name, cleaned again for rows stored before names were
   * (the cleaning leaves a name stored since unchanged).
   */
  async content(actor: Actor, problemId: string, evidenceId: string): Promise<{ record: EvidenceRecord; stream: Readable; fileName: string }> {
    const problem = await this.visible(actor, problemId);
    const record = await this.evidence.find(problem.id, evidenceId.toLowerCase());
    if (!record) {
      throw new DomainError('EVIDENCE.NOT_FOUND', `Problem ${problem.id} has no evidence ${evidenceId}; list it with GET /problems/${problem.id}/evidence.`);
    }
    if (!(await this.store.has(record.sha256))) {
      throw new DomainError(
        'EVIDENCE.CONTENT_MISSING',
        `The file of evidence ${record.id} is missing from the evidence store (removed or lost since it was uploaded). ` +
          'An admin can list every missing or changed file with `npm run cli -- verify-evidence` and restore it from a backup.',
        { evidenceId: record.id, sha256: record.sha256 },
      );
    }
    return { record, stream: this.store.open(record.sha256), fileName: evidenceFileName(record.originalName, record.mediaType) };
  }

  /** Re-hashes every stored file (each content once) and reports rows whose file changed or is gone. */
  async verify(): Promise<IntegrityReport> {
    const report: IntegrityReport = { ok: true, checkedRows: 0, checkedFiles: 0, mismatches: [], missing: [] };
    const actual = new Map<string, string | null>();
    let after: string | null = null;
    for (;;) {
      const rows = await this.evidence.page(after, 500);
      if (rows.length === 0) break;
      for (const row of rows) {
        report.checkedRows += 1;
        if (!actual.has(row.sha256)) {
          actual.set(row.sha256, await this.store.rehash(row.sha256));
          report.checkedFiles += 1;
        }
        const hash = actual.get(row.sha256) ?? null;
        if (hash === null) report.missing.push({ evidenceId: row.id, problemId: row.problemId, sha256: row.sha256 });
        else if (hash !== row.sha256) {
          report.mismatches.push({ evidenceId: row.id, problemId: row.problemId, sha256: row.sha256, actualSha256: hash });
        }
      }
      after = rows[rows.length - 1].id;
    }
    report.ok = report.mismatches.length === 0 && report.missing.length === 0;
    return report;
  }

  private async visible(actor: Actor, problemId: string) {
    const caller = await this.access.callerFor(actor);
    const problem = await this.problems.findVisible(problemId, scopeOf(caller));
    if (!problem) throw new ProblemNotFoundError(problemId);
    return problem;
  }
}
