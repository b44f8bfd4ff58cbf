import { type AnyStateMachine, type ActorScope, createActor, type MachineSnapshot } from 'xstate';

/**
 * The two places the workflow reaches past XState's public API, for speed, kept in this one file. Written against
 * the XState version below; xstate-adapter.spec.ts fails when another is installed, so they are looked at again.
 */
export const XSTATE_VERSION_PINNED = '5.33.3';

/**
 * What xstate's transition() builds afresh on every call (an unstarted actor and a scope whose effects go nowhere),
 * built once per machine: the machines' actions are all assignments and raised events, resolved inside the
 * transition, so nothing is lost, and constructing an actor per event was a quarter of the engine's CPU time.
 */
export function inertScopeFor<TMachine extends AnyStateMachine>(machine: TMachine, input: unknown): ActorScope<never, never> {
  const self = createActor(machine, { input } as never);
  return {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    defer: () => undefined,
    logger: () => undefined,
    emit: () => undefined,
    stopChild: () => undefined,
    actionExecutor: () => undefined,
  } as unknown as ActorScope<never, never>;
}

/**
 * The event types some active state node handles (the machine has no wildcard transitions), read from the
 * snapshot's active nodes: only these can be accepted, and only for these is can() worth evaluating.
 */
export function handledEventTypes(snapshot: MachineSnapshot<never, never, never, never, never, never, never, never>): Set<string> {
  const nodes = (snapshot as unknown as { _nodes: Array<{ ownEvents: string[] }> })._nodes;
  return new Set(nodes.flatMap((node) => node.ownEvents));
}
