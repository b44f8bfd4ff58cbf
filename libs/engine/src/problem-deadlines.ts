import { Injectable } from '@nestjs/common';
import { Clock } from '#domain';
import { type EscalationTarget, OrganisationDirectory } from '#access';
import { type EscalationRecipients, policyOf } from '#rectification';
import { CalendarProvider } from './calendar.provider.js';
import { type DeadlineExplanation, explainProblemDeadline } from './deadline-explanation.js';
import { DeadlinePolicyProvider } from './deadline-policies.js';
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
    private readonly deadlinePolicies: DeadlinePolicyProvider,
  ) {}

  async explain(problem: ProblemRecord): Promise<ExplainedDeadline> {
    const basis = problem.snapshot.context.deadlineBasis;
    await this.deadlinePolicies.ensure(basis);
    const stamped = basis?.kind === 'policy' ? this.calendars.find(basis) : null;
    const calendar = stamped ?? this.calendars.current();
    const explanation = explainProblemDeadline(problem, calendar, basis?.kind !== 'policy' || stamped !== null, policyOf(this.deadlinePolicies, basis), this.clock.now());
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
