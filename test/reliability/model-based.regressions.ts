/**
 * Failing cases of `model-based.rel.ts`, replayed before the random runs (fc.assert with `{ seed, path }`), so a
 * bug once found stays found. Add every seed that ever failed, with a comment naming the bug (or the model
 * error) it revealed; never remove one because it passes now.
 *
 * `seed` and `path` are what fast-check prints on failure (`{ seed: …, path: "…", endOnFailure: true }`);
 * `replayPath` is the commands' replay hint it prints beside them (`replayPath: "…"`), when it printed one.
 */
export interface ModelBasedRegression {
  seed: number;
  path: string;
  replayPath?: string;
  /** What failed: the bug in the engine, or the mistake in the model. */
  bug: string;
}

export const MODEL_BASED_REGRESSIONS: ModelBasedRegression[] = [
  {
    // An approved extension was undone by RECOUNT_DEADLINE: the engine recounts the policy's working days from the
    // original count's start (deadlineBasis stays `policy` after APPROVE_EXTENSION), so after any calendar edit a
    // supervisor's recount put the deadline back to the policy date (e.g. 2026-04-30 → 2026-03-16) and restarted the
    // clock. Fixed in rectification.rules.ts: a deadline moved since it was counted is refused with 422
    // PROBLEM.DEADLINE_NOT_FROM_POLICY (details.movedBy = 'extension').
    seed: 7,
    path: '44',
    bug: 'RECOUNT_DEADLINE undid an approved extension (deadline back to the policy count)',
  },
  {
    // The same recount dropped the working days a suspension had added at RESUME (e.g. 2026-03-23 → 2026-03-16 after
    // a 7-day suspension). Fixed in rectification.rules.ts: 422 PROBLEM.DEADLINE_NOT_FROM_POLICY (movedBy 'suspension').
    seed: 5,
    path: '20',
    bug: "RECOUNT_DEADLINE dropped a suspension's working days from the deadline",
  },
  {
    seed: 1,
    path: '17',
    bug: 'RECOUNT_DEADLINE undid an approved extension (as seed 7)',
  },
  {
    // Model error, not an engine bug: an extension approved, then CLOSE and REOPEN at the same fake-clock instant;
    // the rule counts moves from the count's start with that instant included, the model had reset on REOPEN.
    seed: 20261126,
    path: '132',
    bug: 'model: a move at the very instant of a REOPEN still counts as after the new count',
  },
];
