import { defineCatalog } from '../catalog';

/** Labels of the event forms' fields not named in the problems catalog. */
export const fields = defineCatalog(
  {
    'event.field.measures': '整改措施',
    'event.field.plannedCompletionDate': '计划完成日期',
    'problem.step.found': '发现',
    'problem.step.assigned': '指派',
    'problem.step.rectifying': '整改',
    'problem.step.verified': '验证',
    'problem.step.closed': '销号',
    'problem.pending.extension': '待审批：延期申请',
    'problem.pending.suspension': '待审批：中止计时申请',
    'problem.responsiblePerson': '责任人',
  },
  {
    'event.field.measures': 'Measures',
    'event.field.plannedCompletionDate': 'Planned completion',
    'problem.step.found': 'Found',
    'problem.step.assigned': 'Assigned',
    'problem.step.rectifying': 'Rectifying',
    'problem.step.verified': 'Verified',
    'problem.step.closed': 'Closed',
    'problem.pending.extension': 'Waiting for a decision: extension',
    'problem.pending.suspension': 'Waiting for a decision: suspension',
    'problem.responsiblePerson': 'Responsible person',
  },
);
