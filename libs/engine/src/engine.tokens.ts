/** The repeat-problem policy in force (REPEAT_WINDOW_DAYS): a RepeatPolicy. */
export const REPEAT_POLICY = Symbol('REPEAT_POLICY');
