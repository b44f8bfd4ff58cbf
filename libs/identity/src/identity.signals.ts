/**
 * In-process signal on the @nestjs/event-emitter bus, emitted after the change commits: one of a user's tokens
 * was revoked (`tokenId`), one of their sessions signed out (`sessionId`), or the user was deactivated or their
 * sessions ended by a password change (neither). Open event streams of that user re-read their token or session
 * at once. Only this process hears it; other servers sharing the database catch up on their
 * periodic re-check (EVENT_STREAM_RECHECK_MS).
 */
export const CREDENTIALS_CHANGED = 'identity.credentials_changed';

export interface CredentialsChanged {
  userId: string;
  tokenId?: string;
  sessionId?: string;
}
