import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { components } from '../../api/schema';
import { SESSION_KEY } from '../../auth/session';

const SETTINGS = ['me', 'notification-settings'] as const;

export type SettingsChange = components['schemas']['UpdateNotificationSettingsDto'];

export function useNotificationSettings() {
  return useQuery({ queryKey: SETTINGS, queryFn: () => unwrap(api.GET('/me/notification-settings')) });
}

export function useUpdateNotificationSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsChange) => unwrap(api.PUT('/me/notification-settings', { body })),
    onSuccess: (settings) => client.setQueryData(SETTINGS, settings),
  });
}

/** My other sessions end; this one goes on (the session is read again for its new state). */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: components['schemas']['ChangePasswordDto']) => unwrap(api.POST('/auth/password', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}
