import type { ProblemScope } from '#access';
import type { ProblemFilter } from '#engine';

/**
 * The SQL the problem reads share: conditions with `?` placeholders, the one translation of a caller's scope and of
 * a list filter into conditions on `problems p`, and chunking below the drivers' parameter limits.
 */

export function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** SQL conditions with `?` placeholders and their values, in order. */
export interface Condition {
  sql: string;
  params: unknown[];
}

export function marks(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/**
 * The one translation of a ProblemScope into SQL (on the `problems` table as `p`), used by every read (single,
 * list, count, and so history), so what a caller can list and what they can open never disagree.
 */
export function scopeCondition(scope: ProblemScope): Condition | null {
  switch (scope.kind) {
    case 'everything':
      return null;
    case 'inspector':
      return {
        // Their own filings, and the inspections whose team they are on: membership is granted by whoever runs
        // the inspection, never by filing under its reference.
        sql: '(p.filed_by = ? OR p.inspection_id IN (SELECT m.inspection_id FROM inspection_members m WHERE m.user_id = ?))',
        params: [scope.userId, scope.userId],
      };
    case 'departments': {
      const ids = scope.departmentIds;
      if (ids.length === 0) return { sql: '1 = 0', params: [] };
      return {
        sql:
          `(p.department_id IN (${marks(ids.length)}) OR p.filer_department_id IN (${marks(ids.length)}) ` +
          `OR EXISTS (SELECT 1 FROM problem_departments pd WHERE pd.problem_id = p.id AND pd.department_id IN (${marks(ids.length)})))`,
        params: [...ids, ...ids, ...ids],
      };
    }
  }
}

export function filterConditions(filter: ProblemFilter): Condition[] {
  const conditions: Condition[] = [];
  if (filter.state) conditions.push({ sql: 'p.state = ?', params: [filter.state] });
  if (filter.departmentId) conditions.push({ sql: 'p.department_id = ?', params: [filter.departmentId] });
  if (filter.severity) conditions.push({ sql: 'p.severity = ?', params: [filter.severity] });
  if (filter.inspectionRef) conditions.push({ sql: 'p.inspection_ref = ?', params: [filter.inspectionRef] });
  if (filter.inspectionId) conditions.push({ sql: 'p.inspection_id = ?', params: [filter.inspectionId] });
  if (filter.filedFrom) conditions.push({ sql: 'p.created_at >= ?', params: [filter.filedFrom] });
  if (filter.filedBefore) conditions.push({ sql: 'p.created_at < ?', params: [filter.filedBefore] });
  if (filter.deadlineStates && filter.deadlineStates.length > 0) {
    const states = filter.deadlineStates;
    // A row from before deadline states were stored reads as notSet (ProblemMapper).
    const unset = states.includes('notSet') ? ' OR p.deadline_state IS NULL' : '';
    conditions.push({ sql: `(p.deadline_state IN (${marks(states.length)})${unset})`, params: [...states] });
  }
  if (filter.lights && filter.lights.length > 0) {
    conditions.push({ sql: `p.light IN (${marks(filter.lights.length)})`, params: [...filter.lights] });
  }
  if (filter.pendingRequest === 'any') conditions.push({ sql: 'p.pending_request IS NOT NULL', params: [] });
  else if (filter.pendingRequest) conditions.push({ sql: 'p.pending_request = ?', params: [filter.pendingRequest] });
  if (filter.text) {
    const pattern = `%${filter.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const columns = ['title', 'description', 'location'];
    conditions.push({
      sql: `(${columns.map((column) => `LOWER(p.${column}) LIKE ? ESCAPE '\\'`).join(' OR ')})`,
      params: columns.map(() => pattern),
    });
  }
  return conditions;
}

/**
 * The deadline states a filter asks for as disjoint conditions, one per stored value (no filter: one that holds
 * always), for reads that walk an index led by deadline_state once per value. Together they match what
 * filterConditions matches.
 */
export function deadlineStateConditions(states: readonly string[] | undefined): Array<Condition | null> {
  if (!states || states.length === 0) return [null];
  const conditions: Array<Condition | null> = [...new Set(states)].map((state) => ({ sql: 'p.deadline_state = ?', params: [state] }));
  // As in filterConditions: a row without a stored deadline state is notSet.
  if (states.includes('notSet')) conditions.push({ sql: 'p.deadline_state IS NULL', params: [] });
  return conditions;
}

export function where(conditions: Array<Condition | null>): Condition {
  const present = conditions.filter((condition): condition is Condition => condition !== null);
  if (present.length === 0) return { sql: '', params: [] };
  return { sql: ` WHERE ${present.map((condition) => condition.sql).join(' AND ')}`, params: present.flatMap((condition) => condition.params) };
}
