import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import {
  type Actor,
  DomainError,
  PROBLEM_STATES,
  ProblemNotFoundError,
  UUID_PATTERN,
} from '#domain';
import {
  AuditTrail,
  type ExplainedDeadline,
  type HistoryRecord,
  type ProblemChainReport,
  ProblemDeadlines,
  type ProblemRecord,
  ProblemRepository,
  type ProblemView,
  RectificationEngine,
  type RectificationCommand,
  toProblemView,
} from '#engine';
import { AccessPolicy, type Caller, scopeOf } from '#access';
import {
  type DeadlineState,
  RECTIFICATION_EVENT_TYPES,
  TRAFFIC_LIGHTS,
  type TrafficLight,
  type RectificationEventType,
} from '#rectification';
import { validationFailed, VALIDATION_OPTIONS } from '../common/validation.js';
import type { FileProblemDto } from './dto/file-problem.dto.js';
import {
  type CountProblemsQueryDto,
  commaList,
  decodeDeadlineCursor,
  encodeDeadlineCursor,
  type ListProblemsQueryDto,
} from './dto/list-problems.query.dto.js';
import { PROBLEM_EVENT_DTOS } from './dto/problem-event.dto.js';

export interface ProblemPage {
  items: ProblemView[];
  nextCursor: string | null;
}

const DEFAULT_PAGE_SIZE = 50;

@Injectable()
export class ProblemsService {
  constructor(
    private readonly engine: RectificationEngine,
    private readonly problems: ProblemRepository,
    private readonly access: AccessPolicy,
    private readonly deadlines: ProblemDeadlines,
    private readonly auditTrail: AuditTrail,
  ) {}

  async file(actor: Actor, dto: FileProblemDto): Promise<ProblemView> {
    const caller = await this.access.callerFor(actor);
    const problem = await this.engine.file(caller, { ...dto });
    return (await this.present([problem], caller))[0];
  }

  async get(actor: Actor, id: string): Promise<ProblemView & { repeatedBy: string[] }> {
    const caller = await this.access.callerFor(actor);
    const problem = await this.loadVisible(caller, id);
    // Later problems that repeat this one, as far as the caller may see them: ids outside the scope leak nothing.
    const repeatedBy: string[] = [];
    for (const link of await this.problems.links(problem.id)) {
      if (link.kind === 'repeated_by' && (await this.problems.findVisible(link.linkedProblemId, scopeOf(caller)))) {
        repeatedBy.push(link.linkedProblemId);
      }
    }
    return { ...(await this.present([problem], caller))[0], repeatedBy };
  }

  async list(actor: Actor, query: ListProblemsQueryDto): Promise<ProblemPage> {
    const caller = await this.access.callerFor(actor);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const byDeadline = query.sort === 'deadline';
    // One row more than asked tells whether another page exists.
    const rows = await this.problems.list({
      state: query.state,
      departmentId: query.department,
      severity: query.severity,
      ...inspectionFilter(query.inspection),
      text: query.text,
      deadlineStates: commaList<DeadlineState>(query.deadlineState),
      lights: commaList<TrafficLight>(query.light),
      pendingRequest: query.pendingRequest,
      ...(byDeadline
        ? { sort: 'deadline' as const, afterDeadline: query.cursor === undefined ? undefined : decodeDeadlineCursor(query.cursor) }
        : { after: query.cursor }),
      limit: limit + 1,
    }, scopeOf(caller));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.present(page, caller),
      // The cursor names where the page ends in its own order (see ListProblemsQueryDto.cursor).
      nextCursor: rows.length > limit ? (byDeadline ? encodeDeadlineCursor({ deadline: last.deadline, id: last.id }) : last.id) : null,
    };
  }

  /** Counts per state and per traffic light for the supervising office's overview; the same scope and filters as the list. */
  async counts(actor: Actor, query: CountProblemsQueryDto): Promise<{ total: number; byState: Record<string, number>; byLight: Record<string, number> }> {
    const caller = await this.access.callerFor(actor);
    const groups = await this.problems.countByStateAndLight(
      {
        state: query.state,
        departmentId: query.department,
        severity: query.severity,
        ...inspectionFilter(query.inspection),
        text: query.text,
        lights: commaList<TrafficLight>(query.light),
        limit: 0,
      },
      scopeOf(caller),
    );
    const sum = (matching: (group: (typeof groups)[number]) => boolean) => groups.filter(matching).reduce((total, group) => total + group.count, 0);
    return {
      total: sum(() => true),
      byState: Object.fromEntries(PROBLEM_STATES.map((state) => [state, sum((group) => group.state === state)])),
      byLight: Object.fromEntries(TRAFFIC_LIGHTS.map((light) => [light, sum((group) => group.light === light)])),
    };
  }

  async sendEvent(actor: Actor, id: string, body: unknown, ifMatch?: string): Promise<ProblemView> {
    if (!UUID_PATTERN.test(id)) throw new ProblemNotFoundError(id);
    const { command, expectedVersion } = await parseEvent(body, ifMatch);
    const caller = await this.access.callerFor(actor);
    return (await this.present([await this.engine.send(caller, id.toLowerCase(), command, expectedVersion)], caller))[0];
  }

  /**
   * Problems as this caller sees them. The problem a repeat repeats is named only to those who may see it: the
   * raised severity still applies, and the filing's history row says what was reported and why it was raised.
   */
  private async present(problems: ProblemRecord[], caller: Caller): Promise<ProblemView[]> {
    const linked = problems.flatMap((problem) => (problem.repeatOf ? [problem.repeatOf] : []));
    const visible = linked.length > 0 ? await this.problems.visibleIds(linked, scopeOf(caller)) : new Set<string>();
    return problems.map((problem) => {
      const view = toProblemView(problem, caller);
      return view.repeatOf !== null && !visible.has(view.repeatOf) ? { ...view, repeatOf: null } : view;
    });
  }

  async verifyHistory(actor: Actor, id: string): Promise<ProblemChainReport> {
    return this.auditTrail.verifyProblem(await this.loadVisible(await this.access.callerFor(actor), id));
  }

  async history(actor: Actor, id: string): Promise<{ items: HistoryRecord[] }> {
    const problem = await this.loadVisible(await this.access.callerFor(actor), id);
    return { items: await this.problems.history(problem.id) };
  }

  /**
   * The deadline explained: the calendar version it was counted on, each working day counted and each day
   * skipped with why, elapsed and remaining working days, and the reminders and escalation levels planned
   * around it with the departments they go to (up the department tree).
   */
  async deadline(actor: Actor, id: string): Promise<ExplainedDeadline> {
    return this.deadlines.explain(await this.loadVisible(await this.access.callerFor(actor), id));
  }

  /** A problem outside the caller's scope answers exactly like one that does not exist. */
  private async loadVisible(caller: Caller, id: string) {
    // Ids are stored in lower case; UUIDs compare case-insensitively.
    const problem = UUID_PATTERN.test(id) ? await this.problems.findVisible(id.toLowerCase(), scopeOf(caller)) : null;
    if (!problem) throw new ProblemNotFoundError(id);
    return problem;
  }
}

function fieldError(field: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `The request has invalid fields: ${field}. ${message}`, {
    fields: [{ field, messages: [message] }],
  });
}

/** Picks the event's own DTO by `type` and validates the whole body against it. */
async function parseEvent(
  body: unknown,
  ifMatch: string | undefined,
): Promise<{ command: RectificationCommand; expectedVersion?: number }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw fieldError('body', 'Send a JSON object such as {"type": "ASSIGN", ...}.');
  }
  const type = (body as { type?: unknown }).type;
  if (typeof type !== 'string' || !RECTIFICATION_EVENT_TYPES.includes(type as RectificationEventType)) {
    throw fieldError('type', `type must be one of ${RECTIFICATION_EVENT_TYPES.join(', ')}.`);
  }
  const dto = plainToInstance(PROBLEM_EVENT_DTOS[type as RectificationEventType], body);
  const errors = await validate(dto, VALIDATION_OPTIONS);
  if (errors.length > 0) throw validationFailed(errors);

  const { expectedVersion: fromBody, ...command } = dto as unknown as RectificationCommand & { expectedVersion?: number };
  const fromHeader = parseIfMatch(ifMatch);
  if (fromBody !== undefined && fromHeader !== undefined && fromBody !== fromHeader) {
    throw fieldError('expectedVersion', `expectedVersion ${fromBody} disagrees with If-Match ${fromHeader}; send one of them.`);
  }
  return { command: { ...command } as RectificationCommand, expectedVersion: fromBody ?? fromHeader };
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match || Number(match[1]) < 1) {
    throw fieldError('If-Match', 'If-Match must carry the problem version, e.g. If-Match: "3".');
  }
  return Number(match[1]);
}

/** The `inspection` filter names an inspection by id, or by reference. */
export function inspectionFilter(inspection: string | undefined): { inspectionId?: string; inspectionRef?: string } {
  if (inspection === undefined) return {};
  return UUID_PATTERN.test(inspection) ? { inspectionId: inspection.toLowerCase() } : { inspectionRef: inspection };
}
