import type { AnyStateMachine } from 'xstate';
import { FILE_EVENT, type RectificationEvent, type RectificationInput } from './rectification.events.js';
import { applyEvent, startRectification, type StoredSnapshot } from './rectification.workflow.js';
import { rectificationMachine as machineV1 } from './versions/v1.0.0.machine.js';
import { rectificationMachine as machineV2 } from './versions/v2.2.0.machine.js';
import {
  CURRENT_WORKFLOW_VERSION,
  upgradeSnapshot,
  upgradeSnapshotTo,
  type VersionedSnapshot,
  WorkflowVersionError,
} from './workflow-versions.js';
import { inertScopeFor } from './xstate-adapter.js';

/** The parts of a history row that replay needs. */
export interface ReplayableEntry {
  problemId: string;
  eventType: string;
  payload: Record<string, unknown>;
  actorId: string;
  occurredAt: string;
  /** The workflow version that wrote the row; absent for rows built in memory by today's code (the current one). */
  machineVersion?: string;
}

/** How one version's machine starts a problem and takes an event (null: not accepted). */
export interface ReplayMachine {
  start(input: RectificationInput): VersionedSnapshot;
  apply(snapshot: VersionedSnapshot, event: RectificationEvent): VersionedSnapshot | null;
}

/** Pure transitions of a frozen machine, as rectification.workflow.ts runs the current one. */
function frozen(machine: AnyStateMachine): ReplayMachine {
  let scope: ReturnType<typeof inertScopeFor> | undefined;
  // Built on first use: most processes never replay an old history.
  const inert = () => (scope ??= inertScopeFor(machine, { problemId: '', severity: 'minor', filedBy: '', filedAt: '' }));
  return {
    start(input) {
      const snapshot = machine.getInitialSnapshot(inert() as never, input);
      return { value: snapshot.value, context: snapshot.context };
    },
    apply(stored, event) {
      const snapshot = machine.resolveState({ value: stored.value, context: stored.context });
      const next = machine.transition(snapshot, event, inert() as never);
      return next === snapshot ? null : { value: next.value, context: next.context };
    },
  };
}

const V2 = frozen(machineV2);

/** The machine each version's rows are replayed with. */
const REPLAY_MACHINES: Readonly<Record<string, ReplayMachine>> = {
  '1.0.0': frozen(machineV1),
  // 2.2.0 only added RECOUNT_DEADLINE, which no row written under 2.1.0 carries.
  '2.1.0': V2,
  '2.2.0': V2,
  [CURRENT_WORKFLOW_VERSION]: {
    start: startRectification,
    apply: (snapshot, event) => applyEvent(snapshot as StoredSnapshot, event),
  },
};

/** Every version with a machine to replay its rows (tested against the upgrade chain). */
export const REPLAYABLE_VERSIONS: readonly string[] = Object.keys(REPLAY_MACHINES);

/** The machine that replays rows written under `version`. */
export function replayMachineFor(version: string): ReplayMachine {
  const machine = REPLAY_MACHINES[version];
  if (!machine) throw new WorkflowVersionError(`No machine replays history rows of workflow version ${version}.`, version);
  return machine;
}

/**
 * Rebuilds a problem's snapshot from its history alone: the filing creates the machine, every later row is the
 * stamped event the machine received. Each row is replayed with the machine of the version that wrote it; where the
 * version changes between rows, and at the end, the snapshot is upgraded (workflow-versions.ts). Equal to the
 * stored snapshot, upgraded, for every problem (tested).
 */
export function replayHistory(entries: readonly ReplayableEntry[]): StoredSnapshot {
  const [filing, ...events] = entries;
  if (!filing || filing.eventType !== FILE_EVENT) throw new Error('A history starts with its FILE entry');
  let version = filing.machineVersion ?? CURRENT_WORKFLOW_VERSION;
  let snapshot = replayMachineFor(version).start({
    problemId: filing.problemId,
    severity: filing.payload.severity as RectificationInput['severity'],
    filedBy: filing.actorId,
    filedAt: filing.occurredAt,
    ...(typeof filing.payload.deadline === 'string' ? { deadline: filing.payload.deadline } : {}),
  });
  for (const entry of events) {
    const written = entry.machineVersion ?? CURRENT_WORKFLOW_VERSION;
    if (written !== version) {
      snapshot = upgradeSnapshotTo(snapshot, version, written);
      version = written;
    }
    const next = replayMachineFor(version).apply(snapshot, entry.payload as unknown as RectificationEvent);
    if (!next) throw new Error(`History entry ${entry.eventType} is not accepted in replay (workflow version ${version})`);
    snapshot = next;
  }
  return upgradeSnapshot(snapshot, version);
}
