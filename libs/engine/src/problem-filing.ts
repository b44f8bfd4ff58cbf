import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  Clock,
  DomainError,
  GENESIS_HASH,
  type Inspection,
  newId,
  type ProblemFiling,
  type Severity,
} from '#domain';
import { AccessPolicy, type Caller } from '#access';
import {
  deadlineOutOfRange,
  deadlineState,
  FILE_EVENT,
  filingOutbox,
  mayFile,
  raisedSeverity,
  RECTIFICATION_MACHINE_ID,
  RECTIFICATION_MACHINE_VERSION,
  startRectification,
  stateDetail,
  topLevelState,
  type WorkflowPolicies,
} from '#rectification';
import { WORKFLOW_POLICIES } from './engine.tokens.js';
import { type InspectionSelector, InspectionService } from './inspection.service.js';
import { historyRow, outboxRecord } from './problem-changes.js';
import type { ProblemChange, ProblemRecord } from './problem.records.js';
import { type FiledBatchItem, ProblemRepository } from './problem.repository.js';

/** One filing of a bulk import, with the key that makes importing it again a no-op. */
export interface BatchFiling {
  filing: ProblemFiling;
  importKey?: string;
}

/** A filing of the batch as it came out: the problem filed, or none and `duplicate` when its import key was taken. */
export type BatchFiled = { problem: ProblemRecord; duplicate: false } | { problem: null; duplicate: true };

/**
 * Filing: a problem's first snapshot, its first history row and its `problem.filed` event, one at a time or many
 * in one transaction (bulk import). Everything is checked before anything is written; naming a new inspection
 * creates it.
 */
@Injectable()
export class ProblemFiler {
  constructor(
    private readonly problems: ProblemRepository,
    private readonly access: AccessPolicy,
    private readonly inspections: InspectionService,
    private readonly clock: Clock,
    @Inject(WORKFLOW_POLICIES) private readonly policies: WorkflowPolicies,
  ) {}

  async file(who: Actor | Caller, filing: ProblemFiling): Promise<ProblemRecord> {
    const caller = 'actor' in who ? who : await this.access.callerFor(who);
    const { actor } = caller;
    assertMayFile(actor);
    const now = this.clock.now();
    const deadline = this.filingDeadline(filing, now);
    const inspection = await this.inspections.forFiling(caller, filing);
    const change = await this.filedChange(actor, filing, deadline, inspection, now);
    await this.problems.insertFiled(change);
    return change.problem;
  }

  /**
   * Each filing built exactly as file() builds it, all written in one transaction. A filing whose import key its
   * inspection already holds is skipped, never filed twice (the key is claimed in the same transaction, under a
   * unique constraint).
   */
  async fileBatch(actor: Actor, inspectionSelector: InspectionSelector, filings: BatchFiling[]): Promise<BatchFiled[]> {
    assertMayFile(actor);
    const now = this.clock.now();
    const deadlines = filings.map(({ filing }) => this.filingDeadline(filing, now));
    const inspection = await this.inspections.forFiling(await this.access.callerFor(actor), inspectionSelector);
    // Keys imported before are known without building their problems (re-importing a file is cheap).
    const keys = filings.flatMap(({ importKey }) => (importKey !== undefined ? [importKey] : []));
    const taken = keys.length > 0 ? await this.problems.takenImportKeys(inspection.id, keys) : new Set<string>();
    const items: Array<FiledBatchItem | null> = [];
    for (const [index, { filing, importKey }] of filings.entries()) {
      if (importKey !== undefined && taken.has(importKey)) items.push(null);
      else items.push({ change: await this.filedChange(actor, filing, deadlines[index], inspection, now), ...(importKey === undefined ? {} : { importKey }) });
    }
    const toFile = items.filter((item): item is FiledBatchItem => item !== null);
    const duplicates = toFile.length > 0 ? await this.problems.insertFiledBatch(toFile) : new Set<string>();
    return items.map((item) =>
      item === null || duplicates.has(item.change.problem.id) ? { problem: null, duplicate: true } : { problem: item.change.problem, duplicate: false },
    );
  }

  /** A new problem as filed; `deadline` is the filing's, already checked. */
  private async filedChange(
    actor: Actor,
    filing: ProblemFiling,
    deadline: string | undefined,
    inspection: Inspection,
    now: Date,
  ): Promise<ProblemChange> {
    const at = now.toISOString();
    const repeat = await this.repeatOf(filing, inspection, now);
    const severity = repeat?.severity ?? filing.severity;
    const id = newId(now.getTime());
    const snapshot = startRectification({
      problemId: id,
      severity,
      filedBy: actor.userId,
      filedAt: at,
      ...(deadline === undefined ? {} : { deadline }),
    });
    const problem: ProblemRecord = {
      id,
      title: filing.title,
      description: filing.description,
      category: filing.category,
      severity,
      location: filing.location,
      inspectionId: inspection.id,
      inspectionRef: inspection.reference,
      requirement: filing.requirement,
      filedBy: actor.userId,
      filerDepartmentId: actor.departmentId,
      state: topLevelState(snapshot.value),
      stateDetail: stateDetail(snapshot.value),
      departmentId: null,
      responsiblePerson: null,
      deadline: deadline ?? null,
      deadlineState: deadlineState(snapshot.value),
      escalationLevel: 0,
      // Not assigned yet: no light (see trafficLight).
      light: null,
      nextTimer: null,
      reworkCount: 0,
      version: 1,
      machineId: RECTIFICATION_MACHINE_ID,
      machineVersion: RECTIFICATION_MACHINE_VERSION,
      snapshot,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      repeatOf: repeat?.id ?? null,
      historyHash: null,
    };
    // The payload carries the severity the machine started with, so replay reproduces it; a repeat also
    // records what was reported and what it repeats.
    const payload = {
      ...filing,
      inspectionId: inspection.id,
      inspectionRef: inspection.reference,
      severity,
      ...(deadline === undefined ? {} : { deadline }),
      ...(repeat ? { repeatOf: repeat.id, reportedSeverity: filing.severity } : {}),
    };
    const history = historyRow(problem, FILE_EVENT, payload, actor, null, at, GENESIS_HASH);
    return {
      problem: { ...problem, historyHash: history.hash },
      history,
      outbox: outboxRecord(problem, filingOutbox(payload), actor, at),
    };
  }

  /**
   * 屡查屡犯: a problem at the same location and of the same category as one closed within the policy's window is
   * a repeat; the consequence (by default) raises its severity one level.
   */
  private async repeatOf(filing: ProblemFiling, inspection: Inspection, now: Date): Promise<{ id: string; severity: Severity } | null> {
    const policy = this.policies.repeat;
    if (policy.windowDays <= 0) return null;
    const since = new Date(now.getTime() - policy.windowDays * 86_400_000).toISOString();
    // Within the organisation the inspection belongs to: another organisation's problems are not looked at.
    const earlier = await this.problems.findRepeatCandidate(filing.category, filing.location, since, inspection.organisationId);
    if (!earlier) return null;
    return { id: earlier.id, severity: policy.consequence === 'raiseSeverity' ? raisedSeverity(filing.severity) : filing.severity };
  }

  /** The filing's deadline as an instant, refused when it is not a deadline one may set now. */
  private filingDeadline(filing: ProblemFiling, now: Date): string | undefined {
    const deadline = filing.deadline === undefined ? undefined : new Date(filing.deadline).toISOString();
    const outOfRange = deadlineOutOfRange(deadline, now, this.policies.deadlineHorizonYears);
    if (outOfRange) throw outOfRange;
    return deadline;
  }
}

function assertMayFile(actor: Actor): void {
  if (!mayFile(actor)) {
    throw new DomainError('AUTH.FORBIDDEN', `A user with role ${actor.role} may not file problems.`, { role: actor.role });
  }
}
