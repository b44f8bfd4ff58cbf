export const SEVERITIES = ['minor', 'general', 'major', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ROLES = ['inspector', 'department', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Top-level states of a problem, as the design card names them. */
export const PROBLEM_STATES = ['found', 'assigned', 'rectifying', 'verified', 'closed', 'cancelled'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

/** What an inspector records when filing a problem (finding). */
export interface ProblemFiling {
  title: string;
  description: string;
  category: string;
  severity: Severity;
  location: string;
  /** The inspection it is found under: by reference (unique within the organisation) or by id, one of them. */
  inspectionRef?: string;
  inspectionId?: string;
  requirement: string;
  /** ISO-8601 instant; optional at filing, may also be set at ASSIGN. */
  deadline?: string;
}
