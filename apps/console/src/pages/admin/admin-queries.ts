import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';
import type { components } from '../../api/schema';
import type {
  AdminUser,
  CalendarImport,
  CalendarSummary,
  CalendarYear,
  ChannelTestResult,
  CreatedUser,
  CreatedWebhook,
  DepartmentNode,
  Health,
  IssuedInvitation,
  IssuedToken,
  NotificationAttempt,
  NotificationChannel,
  NotificationMessage,
  RoutingRule,
  RoutingTable,
  TokenSummary,
  WebhookAttempt,
  WebhookDelivery,
  WebhookSubscription,
} from '../../api/views';

type Schemas = components['schemas'];
/**
 * The generated schema turns nullable `type: String` properties into `Record<string, never>`: those fields are
 * ids or secrets, strings or null, as the server's DTOs say.
 */
type NullableStrings<T, K extends keyof T> = Omit<T, K> & { [P in K]?: string | null };
export type UpdateDepartmentBody = NullableStrings<Schemas['UpdateDepartmentDto'], 'parentId' | 'headUserId'>;
export type CreateChannelBody = NullableStrings<Schemas['CreateNotificationChannelDto'], 'departmentId' | 'secret'>;
export type UpdateChannelBody = NullableStrings<Schemas['UpdateNotificationChannelDto'], 'departmentId'>;
const id = encodeURIComponent;

/** After a change: the lists it touches are read again. */
function useInvalidate() {
  const client = useQueryClient();
  return (...keys: ReadonlyArray<readonly unknown[]>) => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

// ── Departments ─────────────────────────────────────────────────────────────────────────────────────

const DEPARTMENT_TREE = ['admin', 'departments'] as const;

export function useDepartmentTree() {
  return useQuery({ queryKey: DEPARTMENT_TREE, queryFn: async () => (await request<{ items: DepartmentNode[] }>('GET', '/admin/departments')).items });
}

export function useDepartmentChanges() {
  const invalidate = useInvalidate();
  // The pickers elsewhere read GET /departments: they change too.
  const done = () => invalidate(DEPARTMENT_TREE, ['departments']);
  return {
    create: useMutation({
      mutationFn: (body: Schemas['CreateDepartmentDto']) => request<DepartmentNode>('POST', '/admin/departments', body),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: ({ departmentId, ...body }: UpdateDepartmentBody & { departmentId: string }) =>
        request<DepartmentNode>('PATCH', `/admin/departments/${id(departmentId)}`, body),
      onSuccess: done,
    }),
    deactivate: useMutation({
      mutationFn: (departmentId: string) => request<DepartmentNode>('POST', `/admin/departments/${id(departmentId)}/deactivate`),
      onSuccess: done,
    }),
  };
}

// ── Users and tokens ────────────────────────────────────────────────────────────────────────────────

const USERS = ['admin', 'users'] as const;
const tokensKey = (userId: string) => ['admin', 'users', userId, 'tokens'] as const;

export function useUsers() {
  return useQuery({ queryKey: USERS, queryFn: async () => (await request<{ items: AdminUser[] }>('GET', '/admin/users')).items });
}

export function useUserChanges() {
  const invalidate = useInvalidate();
  const done = () => invalidate(USERS);
  return {
    create: useMutation({ mutationFn: (body: Schemas['CreateUserDto']) => request<CreatedUser>('POST', '/admin/users', body), onSuccess: done }),
    setActive: useMutation({
      mutationFn: ({ userId, active }: { userId: string; active: boolean }) =>
        request<AdminUser>('POST', `/admin/users/${id(userId)}/${active ? 'reactivate' : 'deactivate'}`),
      onSuccess: done,
    }),
    setPassword: useMutation({
      mutationFn: ({ userId, password }: { userId: string; password: string }) => request<AdminUser>('POST', `/admin/users/${id(userId)}/password`, { password }),
      onSuccess: done,
    }),
    invite: useMutation({ mutationFn: (userId: string) => request<IssuedInvitation>('POST', `/admin/users/${id(userId)}/invitation`) }),
  };
}

export function useTokens(userId: string | null) {
  return useQuery({
    queryKey: tokensKey(userId ?? ''),
    queryFn: async () => (await request<{ items: TokenSummary[] }>('GET', `/admin/users/${id(userId!)}/tokens`)).items,
    enabled: userId !== null,
  });
}

export function useTokenChanges(userId: string) {
  const invalidate = useInvalidate();
  const done = () => invalidate(tokensKey(userId));
  return {
    issue: useMutation({
      mutationFn: (body: Schemas['IssueTokenDto']) => request<IssuedToken>('POST', `/admin/users/${id(userId)}/tokens`, body),
      onSuccess: done,
    }),
    revoke: useMutation({ mutationFn: (tokenId: string) => request<TokenSummary>('POST', `/admin/tokens/${id(tokenId)}/revoke`), onSuccess: done }),
  };
}

// ── The organisation's calendar ─────────────────────────────────────────────────────────────────────

const CALENDAR = ['admin', 'calendar'] as const;

export function useCalendarSummary() {
  return useQuery({ queryKey: CALENDAR, queryFn: () => request<CalendarSummary>('GET', '/admin/calendar') });
}

export function useCalendarYear(year: number) {
  return useQuery({ queryKey: [...CALENDAR, 'days', year], queryFn: () => request<CalendarYear>('GET', `/admin/calendar/days?year=${year}`) });
}

/** The coverage warning is detail of /health (for admins; it never makes the service unhealthy). */
export function useHealth() {
  return useQuery({ queryKey: ['health'], queryFn: () => request<Health>('GET', '/health') });
}

export function useCalendarChanges() {
  const invalidate = useInvalidate();
  const done = () => invalidate(CALENDAR, ['health']);
  return {
    addClosure: useMutation({ mutationFn: (body: Schemas['AddClosureDto']) => request<CalendarSummary>('POST', '/admin/calendar/closures', body), onSuccess: done }),
    removeClosure: useMutation({
      mutationFn: (date: string) => request<CalendarSummary>('DELETE', `/admin/calendar/closures/${id(date)}`),
      onSuccess: done,
    }),
    importIcs: useMutation({ mutationFn: (body: Schemas['ImportIcsDto']) => request<CalendarImport>('POST', '/admin/calendar/import', body), onSuccess: done }),
  };
}

// ── Webhooks ────────────────────────────────────────────────────────────────────────────────────────

const WEBHOOKS = ['admin', 'webhooks'] as const;
const deliveriesKey = (subscriptionId: string) => [...WEBHOOKS, subscriptionId, 'deliveries'] as const;

export function useWebhooks() {
  return useQuery({ queryKey: WEBHOOKS, queryFn: async () => (await request<{ items: WebhookSubscription[] }>('GET', '/admin/webhooks')).items });
}

export function useWebhookDeliveries(subscriptionId: string | null) {
  return useQuery({
    queryKey: deliveriesKey(subscriptionId ?? ''),
    queryFn: async () => (await request<{ items: WebhookDelivery[] }>('GET', `/admin/webhooks/${id(subscriptionId!)}/deliveries?limit=100`)).items,
    enabled: subscriptionId !== null,
  });
}

export function useWebhookDelivery(deliveryId: string | null) {
  return useQuery({
    queryKey: ['admin', 'webhook-delivery', deliveryId ?? ''],
    queryFn: () => request<WebhookDelivery & { log: WebhookAttempt[] }>('GET', `/admin/webhook-deliveries/${id(deliveryId!)}`),
    enabled: deliveryId !== null,
  });
}

export function useWebhookChanges() {
  const invalidate = useInvalidate();
  return {
    create: useMutation({
      mutationFn: (body: Schemas['CreateWebhookDto']) => request<CreatedWebhook>('POST', '/admin/webhooks', body),
      onSuccess: () => invalidate(WEBHOOKS),
    }),
    setActive: useMutation({
      mutationFn: ({ subscriptionId, active }: { subscriptionId: string; active: boolean }) =>
        request<WebhookSubscription>('POST', `/admin/webhooks/${id(subscriptionId)}/${active ? 'enable' : 'disable'}`),
      onSuccess: () => invalidate(WEBHOOKS),
    }),
    redeliver: useMutation({
      mutationFn: (deliveryId: string) => request<WebhookDelivery>('POST', `/admin/webhook-deliveries/${id(deliveryId)}/redeliver`),
      onSuccess: (delivery) => invalidate(deliveriesKey(delivery.subscriptionId), ['admin', 'webhook-delivery', delivery.id]),
    }),
  };
}

// ── Notifications: channels, routing, the delivery log ──────────────────────────────────────────────

const CHANNELS = ['admin', 'notification-channels'] as const;
const ROUTING = ['admin', 'notification-routing'] as const;
const LOG = ['admin', 'notifications'] as const;

export function useChannels() {
  return useQuery({ queryKey: CHANNELS, queryFn: async () => (await request<{ items: NotificationChannel[] }>('GET', '/admin/notification-channels')).items });
}

export function useChannelChanges() {
  const invalidate = useInvalidate();
  return {
    create: useMutation({
      mutationFn: (body: CreateChannelBody) => request<NotificationChannel>('POST', '/admin/notification-channels', body),
      onSuccess: () => invalidate(CHANNELS),
    }),
    update: useMutation({
      mutationFn: ({ channelId, ...body }: UpdateChannelBody & { channelId: string }) =>
        request<NotificationChannel>('PATCH', `/admin/notification-channels/${id(channelId)}`, body),
      onSuccess: () => invalidate(CHANNELS),
    }),
    // A test is logged like any message.
    test: useMutation({
      mutationFn: (channelId: string) => request<ChannelTestResult>('POST', `/admin/notification-channels/${id(channelId)}/test`),
      onSuccess: () => invalidate(LOG),
    }),
  };
}

export function useRouting() {
  return useQuery({ queryKey: ROUTING, queryFn: () => request<RoutingTable>('GET', '/admin/notifications/routing') });
}

export function useReplaceRouting() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (rules: Array<Omit<RoutingRule, 'id'>>) => request<RoutingTable>('PUT', '/admin/notifications/routing', { rules }),
    onSuccess: (table) => client.setQueryData(ROUTING, table),
  });
}

export interface LogFilters {
  status?: string;
  channelId?: string;
  problemId?: string;
  after?: string;
}

export function useNotificationLog(filters: LogFilters) {
  const query = new URLSearchParams(Object.entries({ ...filters, limit: '50' }).filter(([, value]) => value) as Array<[string, string]>);
  return useQuery({
    queryKey: [...LOG, query.toString()],
    queryFn: async () => (await request<{ items: NotificationMessage[] }>('GET', `/admin/notifications?${query}`)).items,
  });
}

export function useNotification(notificationId: string | null) {
  return useQuery({
    queryKey: [...LOG, 'one', notificationId ?? ''],
    queryFn: () => request<NotificationMessage & { log: NotificationAttempt[] }>('GET', `/admin/notifications/${id(notificationId!)}`),
    enabled: notificationId !== null,
  });
}

export function useRedeliverNotification() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (notificationId: string) => request<NotificationMessage>('POST', `/admin/notifications/${id(notificationId)}/redeliver`),
    onSuccess: () => invalidate(LOG),
  });
}
