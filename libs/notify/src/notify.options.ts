/** Notifications (NOTIFY_*, SMTP is a channel an admin adds). */
export interface NotifyOptions {
  /** NOTIFY_SECRET_KEY: 32 bytes (base64 or hex) sealing channel targets at rest; unset, channels cannot be added. */
  secretKey?: string;
  /** NOTIFY_CONSOLE_URL: where the console is, for links in messages (e.g. https://rectify.example.org); unset: no links. */
  consoleUrl: string | null;
  /** NOTIFY_ROBOT_PER_MINUTE: messages one robot takes in any 60 s (DingTalk blocks a robot for 10 minutes beyond 20). */
  robotPerMinute: number;
  /** NOTIFY_DIGEST_MAX_ITEMS: messages one burst digest folds together. */
  digestMaxItems: number;
  /** NOTIFY_CRITICAL_ESCALATIONS_IMMEDIATE: escalations of critical problems ignore quiet hours. */
  criticalEscalationsImmediate: boolean;
  /** NOTIFY_DAILY_DIGEST_AT: local time (HH:MM) of the working-day digest; empty: no daily digest. */
  dailyDigestAt: string | null;
  /** NOTIFY_INTERVAL_MS: how often planning and sending run in this process (0: not here, e.g. servers beside workers). */
  intervalMs: number;
  /** NOTIFY_TIMEOUT_MS: one send (HTTP answer or SMTP conversation). */
  timeoutMs: number;
  /** NOTIFY_MAX_ATTEMPTS: tries before a message is marked failed (an admin may redeliver it). */
  maxAttempts: number;
  /** NOTIFY_COVERAGE_WARNING_DAYS: admins are told this many days before the holiday data ends. */
  coverageWarningDays: number;
  /** The language of robot messages (a group has no language of its own). */
  groupLanguage: 'zh' | 'en';
}

export const DEFAULT_NOTIFY_OPTIONS: NotifyOptions = {
  consoleUrl: null,
  robotPerMinute: 20,
  digestMaxItems: 20,
  criticalEscalationsImmediate: true,
  dailyDigestAt: '09:00',
  intervalMs: 5000,
  timeoutMs: 10_000,
  maxAttempts: 8,
  coverageWarningDays: 60,
  groupLanguage: 'zh',
};

export const NOTIFY_OPTIONS = Symbol('NOTIFY_OPTIONS');

/** A vendor that says "too fast" blocks the robot for about this long (DingTalk: 10 minutes). */
export const ROBOT_PAUSE_MS = 10 * 60_000;

/** Retry backoff: 30 s, 1, 2, 4 … minutes, at most an hour. */
export function notifyBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
