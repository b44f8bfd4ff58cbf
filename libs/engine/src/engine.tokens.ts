/** The repeat-problem policy in force (REPEAT_WINDOW_DAYS): a RepeatPolicy. */
export const REPEAT_POLICY = Symbol('REPEAT_POLICY');
/** How many years ahead a deadline may lie (DEADLINE_HORIZON_YEARS): a number. */
export const DEADLINE_HORIZON_YEARS = Symbol('DEADLINE_HORIZON_YEARS');
