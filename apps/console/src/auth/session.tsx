import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { api, ApiError, setCsrfToken, unwrap } from '../api/client';
import type { SessionAnswer } from '../api/views';

/** Who is signed in, as GET /auth/session and POST /auth/sign-in answer it (the sign-in always with a CSRF token and an end). */
export type Session = Pick<SessionAnswer, 'user' | 'csrfToken' | 'expiresAt'>;
export type Role = Session['user']['role'];

const SessionContext = createContext<Session | null>(null);
export const SESSION_KEY = ['session'] as const;

/** Who is signed in (GET /auth/session); null when nobody is. */
export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  queryFn: async (): Promise<Session | null> => {
    try {
      const session = await unwrap(api.GET('/auth/session'));
      setCsrfToken(session.csrfToken);
      return session;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  staleTime: 60_000,
});

export function useSessionQuery() {
  return useQuery(sessionQuery);
}

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The signed-in person (inside the signed-in part of the console). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export function useSignIn() {
  const client = useQueryClient();
  return async (username: string, password: string): Promise<Session> => {
    const session = await unwrap(api.POST('/auth/sign-in', { body: { username, password } }));
    setCsrfToken(session.csrfToken);
    client.setQueryData(SESSION_KEY, session);
    return session;
  };
}

export function useSignOut() {
  const client = useQueryClient();
  return async (): Promise<void> => {
    await unwrap(api.POST('/auth/sign-out'));
    setCsrfToken(null);
    client.clear();
    client.setQueryData(SESSION_KEY, null);
  };
}
