/** The workflow's policies in force (deadline, evidence, repeat, deadline horizon): a WorkflowPolicies. */
export const WORKFLOW_POLICIES = Symbol('WORKFLOW_POLICIES');
/** How many years ahead a deadline may lie (DEADLINE_HORIZON_YEARS): a number. */
export const DEADLINE_HORIZON_YEARS = Symbol('DEADLINE_HORIZON_YEARS');
