/**
 * In-process signal on the @nestjs/event-emitter bus, emitted after the change commits: one of a user's tokens
 * was revoked (`tokenId`), one of their sessions signed out (`sessionId`), or the user was deactivated or their
 * sessions ended by a password change (neither). Open event streams of that user re-read their token or session
 * at once, on this server and (the ClusterBus carries it; emit it with `emitAsync` and await it) on every other one
 * sharing the database. Requests need no signal: every one reads its token or session afresh.
 */
export const CREDENTIALS_CHANGED = 'identity.credentials_changed';

export interface CredentialsChanged {
  userId: string;
  tokenId?: string;
  sessionId?: string;
}
