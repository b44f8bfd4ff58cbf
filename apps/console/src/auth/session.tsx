import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import { ApiError, request, setCsrfToken } from '../api/client';

export type Role = 'inspector' | 'department' | 'supervisor' | 'admin';

export interface SessionUser {
  id: string;
  name: string;
  username: string;
  role: Role;
  departmentId: string | null;
  mustChangePassword: boolean;
}

export interface Session {
  user: SessionUser;
  csrfToken: string | null;
  expiresAt: string | null;
}

const SessionContext = createContext<Session | null>(null);
export const SESSION_KEY = ['session'] as const;

/** Who is signed in (GET /auth/session); null when nobody is. */
export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  queryFn: async (): Promise<Session | null> => {
    try {
      const session = await request<Session>('GET', '/auth/session');
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
    const session = await request<Session>('POST', '/auth/sign-in', { username, password });
    setCsrfToken(session.csrfToken);
    client.setQueryData(SESSION_KEY, session);
    return session;
  };
}

export function useSignOut() {
  const client = useQueryClient();
  return async (): Promise<void> => {
    await request('POST', '/auth/sign-out');
    setCsrfToken(null);
    client.clear();
    client.setQueryData(SESSION_KEY, null);
  };
}
