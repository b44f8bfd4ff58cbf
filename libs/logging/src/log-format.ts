/** LOG_FORMAT: `json`, one object a line (the default, for collectors), or `pretty`, for a person at a terminal. */
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];
