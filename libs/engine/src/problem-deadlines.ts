import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#domain';
import { type EscalationTarget, OrganisationDirectory } from '#access';
import type { EscalationRecipients, WorkflowPolicies } from '#rectification';
import { CalendarProvider } from './calendar.provider.js';
import { type DeadlineExplanation, explainProblemDeadline } from './deadline-explanation.js';
import { WORKFLOW_POLICIES } from './engine.tokens.js';
import type { ProblemRecord } from './problem.records.js';

/** A deadline explained, with where each escalation level's notice would go. */
export type ExplainedDeadline = DeadlineExplanation & { recipients: Record<EscalationRecipients, EscalationTarget | null> };

/**
 * Why a problem's deadline is what it is: counted on the calendar version it was stamped with (the current one when
 * that version is gone, said so), and the recipients the engine itself would address (OrganisationDirectory).
 */
@Injectable()
export class ProblemDeadlines {
  constructor(
    private readonly calendars: CalendarProvider,
    private readonly organisation: OrganisationDirectory,
    private readonly clock: Clock,
    @Inject(WORKFLOW_POLICIES) private readonly policies: WorkflowPolicies,
  ) {}

  async explain(problem: ProblemRecord): Promise<ExplainedDeadline> {
    const basis = problem.snapshot.context.deadlineBasis;
    const stamped = basis?.kind === 'policy' ? this.calendars.find(basis) : null;
    const calendar = stamped ?? this.calendars.current();
    const explanation = explainProblemDeadline(problem, calendar, basis?.kind !== 'policy' || stamped !== null, this.policies.deadline, this.clock.now());
    const target = (recipients: EscalationRecipients) =>
      problem.departmentId === null ? Promise.resolve(null) : this.organisation.escalationTarget(problem.departmentId, recipients);
    const [departmentHead, supervisingOffice, leadership] = await Promise.all([
      target('departmentHead'),
      target('supervisingOffice'),
      target('leadership'),
    ]);
    return { ...explanation, recipients: { departmentHead, supervisingOffice, leadership } };
  }
}
