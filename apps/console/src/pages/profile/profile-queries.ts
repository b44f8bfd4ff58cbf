import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import type { components } from '../../api/schema';
import type { NotificationSettings } from '../../api/views';
import { SESSION_KEY } from '../../auth/session';

const SETTINGS = ['me', 'notification-settings'] as const;

/** The generated schema reads the nullable `type: String` fields as empty objects: they are strings or null. */
export type SettingsChange = Omit<components['schemas']['UpdateNotificationSettingsDto'], 'email' | 'mobile'> & {
  email?: string | null;
  mobile?: string | null;
};

export function useNotificationSettings() {
  return useQuery({ queryKey: SETTINGS, queryFn: () => request<NotificationSettings>('GET', '/me/notification-settings') });
}

export function useUpdateNotificationSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsChange) => request<NotificationSettings>('PUT', '/me/notification-settings', body),
    onSuccess: (settings) => client.setQueryData(SETTINGS, settings),
  });
}

/** My other sessions end; this one goes on (the session is read again for its new state). */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: components['schemas']['ChangePasswordDto']) => request<{ user: unknown }>('POST', '/auth/password', body),
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}
