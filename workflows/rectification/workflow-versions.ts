import type { StateValue } from 'xstate';
import type { RectificationContext } from './rectification.context.js';
import { RECTIFICATION_MACHINE_VERSION } from './rectification.machine.js';
import type { StoredSnapshot } from './rectification.workflow.js';
import type { RectificationContext as ContextV1 } from './versions/v1.0.0.machine.js';
import type { RectificationContext as ContextV2 } from './versions/v2.2.0.machine.js';

/**
 * Workflow versions (the machine's `version`): every stored snapshot and history row names the one that wrote it.
 * A snapshot of an older version is brought to the current one by the chain of pure steps below, the way database
 * migrations are: each step takes what one version stored to what the next one expects, and is never edited once
 * released. Changing the machine in a way a stored snapshot notices means a new version and a new step here.
 */
export const CURRENT_WORKFLOW_VERSION = RECTIFICATION_MACHINE_VERSION;

/** A snapshot as some version stored it: older contexts lack fields later versions added. */
export interface VersionedSnapshot {
  value: StateValue;
  context: object;
}

export interface UpgradeStep {
  from: string;
  to: string;
  /** What the step changes, in a line (printed by `cli migrate-snapshots`). */
  change: string;
  upgrade(snapshot: VersionedSnapshot): VersionedSnapshot;
}

export class WorkflowVersionError extends Error {
  constructor(
    message: string,
    readonly version: string,
  ) {
    super(message);
    this.name = 'WorkflowVersionError';
  }
}

/** Where the 1.0.0 problem's new deadline region starts: where the 2.x clock stands after the same events. */
function clockOf(value: StateValue): string {
  const work = typeof value === 'string' ? value : `${Object.keys(value)[0]}.${String(Object.values(value)[0])}`;
  switch (work) {
    case 'found':
      return 'notSet';
    case 'rectifying.awaitingVerification':
      return 'verifying';
    case 'verified':
    case 'closed':
      return 'stopped';
    case 'cancelled':
      return 'cancelled';
    default:
      // assigned, rectifying.inProgress: ASSIGN started the clock; no timer had fired, none existed.
      return 'onTrack';
  }
}

/** 1.0.0 → 2.1.0: the deadline clock became a parallel region, and the context gained its bookkeeping. */
function addDeadlineRegion({ value, context }: VersionedSnapshot): VersionedSnapshot {
  const old = context as ContextV1;
  const upgraded: ContextV2 = {
    ...old,
    // 1.0.0 had no deadline policy: a deadline was always given explicitly, at filing or at ASSIGN (not recorded
    // which; the filing is the earliest it can have been).
    deadlineBasis: old.deadline === null ? null : { kind: 'explicit', setAt: old.filedAt },
    remindersSent: 0,
    overdueSince: null,
    escalationLevel: 0,
    verificationOverdueSince: null,
    // A 1.0.0 deadline was set at filing or by ASSIGN and never moved after, so the current one is the first given.
    originalDeadline: old.deadline,
    extensionCount: 0,
    extensions: [],
    pendingRequest: null,
    suspensions: [],
  };
  return { value: { rectification: value, deadline: clockOf(value) }, context: upgraded };
}

/**
 * 2.x → 3.0.0: the 3.0.0 machine relies on every context field being there (2.x tolerated missing lists with
 * `?? []`). A field a 2.x snapshot lacks gets what a fresh problem has, or what the facts it does have say.
 */
function completeContext({ value, context }: VersionedSnapshot): VersionedSnapshot {
  const old = context as Partial<ContextV2> & Pick<ContextV2, 'problemId' | 'severity' | 'filedBy' | 'filedAt'>;
  // Only an absent field is filled: null is a stored fact (no deadline, no request), not a gap.
  const stored = <K extends keyof ContextV2>(field: K, otherwise: () => ContextV2[K]): ContextV2[K] =>
    old[field] === undefined ? otherwise() : (old[field] as ContextV2[K]);
  const deadline = stored('deadline', () => null);
  const extensions = stored('extensions', () => []);
  const complete: RectificationContext = {
    problemId: old.problemId,
    severity: old.severity,
    filedBy: old.filedBy,
    filedAt: old.filedAt,
    departmentId: stored('departmentId', () => null),
    responsiblePerson: stored('responsiblePerson', () => null),
    deadline,
    deadlineBasis: stored('deadlineBasis', () => (deadline === null ? null : { kind: 'explicit', setAt: old.filedAt })),
    plan: stored('plan', () => null),
    latestProgress: stored('latestProgress', () => null),
    submission: stored('submission', () => null),
    reworkCount: stored('reworkCount', () => 0),
    reopenCount: stored('reopenCount', () => 0),
    closedAt: stored('closedAt', () => null),
    remindersSent: stored('remindersSent', () => 0),
    overdueSince: stored('overdueSince', () => null),
    escalationLevel: stored('escalationLevel', () => 0),
    verificationOverdueSince: stored('verificationOverdueSince', () => null),
    // The first extension replaced the deadline first given.
    originalDeadline: stored('originalDeadline', () => (extensions.length > 0 ? extensions[0].from : deadline)),
    extensionCount: stored('extensionCount', () => extensions.length),
    extensions,
    pendingRequest: stored('pendingRequest', () => null),
    suspensions: stored('suspensions', () => []),
  };
  return { value, context: complete };
}

/** Every step, oldest first; the last one ends at the current version (tested). */
export const UPGRADE_STEPS: readonly UpgradeStep[] = [
  { from: '1.0.0', to: '2.1.0', change: 'deadline region added, with its context fields', upgrade: addDeadlineRegion },
  { from: '2.1.0', to: '2.2.0', change: 'RECOUNT_DEADLINE accepted; nothing stored changed', upgrade: (snapshot) => snapshot },
  { from: '2.2.0', to: '3.0.0', change: 'every context field present', upgrade: completeContext },
];

/** Every version a stored snapshot or history row may name, oldest first. */
export const WORKFLOW_VERSIONS: readonly string[] = [UPGRADE_STEPS[0].from, ...UPGRADE_STEPS.map((step) => step.to)];

/**
 * The snapshot `fromVersion` stored, as version `toVersion` stores it. Refuses a version no step knows, and a target
 * older than the source: a snapshot is never downgraded.
 */
export function upgradeSnapshotTo(stored: VersionedSnapshot, fromVersion: string, toVersion: string): VersionedSnapshot {
  for (const version of [fromVersion, toVersion]) {
    if (!WORKFLOW_VERSIONS.includes(version)) throw new WorkflowVersionError(unknownVersion(version), version);
  }
  const from = WORKFLOW_VERSIONS.indexOf(fromVersion);
  const to = WORKFLOW_VERSIONS.indexOf(toVersion);
  if (to < from) {
    throw new WorkflowVersionError(`A snapshot of workflow version ${fromVersion} cannot be taken back to ${toVersion}.`, fromVersion);
  }
  return UPGRADE_STEPS.slice(from, to).reduce((snapshot, step) => step.upgrade(snapshot), stored);
}

/** A stored snapshot of `fromVersion` brought to the current version. */
export function upgradeSnapshot(stored: VersionedSnapshot, fromVersion: string): StoredSnapshot {
  if (fromVersion === CURRENT_WORKFLOW_VERSION) return stored as StoredSnapshot;
  return upgradeSnapshotTo(stored, fromVersion, CURRENT_WORKFLOW_VERSION) as StoredSnapshot;
}

function unknownVersion(version: string): string {
  const newer = compareVersions(version, CURRENT_WORKFLOW_VERSION) > 0;
  return newer
    ? `Workflow version ${version} is newer than this code's ${CURRENT_WORKFLOW_VERSION}: run the release that wrote it.`
    : `Workflow version ${version} is unknown (known: ${WORKFLOW_VERSIONS.join(', ')}).`;
}

/** Semantic versions compared by their numeric parts; anything unparsable compares as 0. */
function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : 0));
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
