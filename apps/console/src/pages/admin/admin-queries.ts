import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setFilters, unwrap } from '../../api/client';
import type { components, operations } from '../../api/schema';
import type { ChannelChange, NewChannel, RoutingRule } from '../../api/views';

type Schemas = components['schemas'];
export type UpdateDepartmentBody = Schemas['UpdateDepartmentDto'];

/** After a change: the lists it touches are read again. */
function useInvalidate() {
  const client = useQueryClient();
  return (...keys: ReadonlyArray<readonly unknown[]>) => Promise.all(keys.map((queryKey) => client.invalidateQueries({ queryKey })));
}

// ── Departments ─────────────────────────────────────────────────────────────────────────────────────

const DEPARTMENT_TREE = ['admin', 'departments'] as const;

export function useDepartmentTree() {
  return useQuery({ queryKey: DEPARTMENT_TREE, queryFn: async () => (await unwrap(api.GET('/admin/departments'))).items });
}

export function useDepartmentChanges() {
  const invalidate = useInvalidate();
  // The pickers elsewhere read GET /departments: they change too.
  const done = () => invalidate(DEPARTMENT_TREE, ['departments']);
  return {
    create: useMutation({
      mutationFn: (body: Schemas['CreateDepartmentDto']) => unwrap(api.POST('/admin/departments', { body })),
      onSuccess: done,
    }),
    update: useMutation({
      mutationFn: ({ departmentId, ...body }: UpdateDepartmentBody & { departmentId: string }) =>
        unwrap(api.PATCH('/admin/departments/{id}', { params: { path: { id: departmentId } }, body })),
      onSuccess: done,
    }),
    deactivate: useMutation({
      mutationFn: (departmentId: string) => unwrap(api.POST('/admin/departments/{id}/deactivate', { params: { path: { id: departmentId } } })),
      onSuccess: done,
    }),
  };
}

// ── Users and tokens ────────────────────────────────────────────────────────────────────────────────

const USERS = ['admin', 'users'] as const;
const tokensKey = (userId: string) => ['admin', 'users', userId, 'tokens'] as const;

export function useUsers() {
  return useQuery({ queryKey: USERS, queryFn: async () => (await unwrap(api.GET('/admin/users'))).items });
}

export function useUserChanges() {
  const invalidate = useInvalidate();
  const done = () => invalidate(USERS);
  return {
    create: useMutation({ mutationFn: (body: Schemas['CreateUserDto']) => unwrap(api.POST('/admin/users', { body })), onSuccess: done }),
    setActive: useMutation({
      mutationFn: ({ userId, active }: { userId: string; active: boolean }) =>
        unwrap(api.POST(active ? '/admin/users/{id}/reactivate' : '/admin/users/{id}/deactivate', { params: { path: { id: userId } } })),
      onSuccess: done,
    }),
    setPassword: useMutation({
      mutationFn: ({ userId, password }: { userId: string; password: string }) =>
        unwrap(api.POST('/admin/users/{id}/password', { params: { path: { id: userId } }, body: { password } })),
      onSuccess: done,
    }),
    invite: useMutation({ mutationFn: (userId: string) => unwrap(api.POST('/admin/users/{id}/invitation', { params: { path: { id: userId } } })) }),
  };
}

export function useTokens(userId: string | null) {
  return useQuery({
    queryKey: tokensKey(userId ?? ''),
    queryFn: async () => (await unwrap(api.GET('/admin/users/{id}/tokens', { params: { path: { id: userId! } } }))).items,
    enabled: userId !== null,
  });
}

export function useTokenChanges(userId: string) {
  const invalidate = useInvalidate();
  const done = () => invalidate(tokensKey(userId));
  return {
    issue: useMutation({
      mutationFn: (body: Schemas['IssueTokenDto']) => unwrap(api.POST('/admin/users/{id}/tokens', { params: { path: { id: userId } }, body })),
      onSuccess: done,
    }),
    revoke: useMutation({
      mutationFn: (tokenId: string) => unwrap(api.POST('/admin/tokens/{id}/revoke', { params: { path: { id: tokenId } } })),
      onSuccess: done,
    }),
  };
}

// ── The organisation's calendar ─────────────────────────────────────────────────────────────────────

const CALENDAR = ['admin', 'calendar'] as const;

export function useCalendarSummary() {
  return useQuery({ queryKey: CALENDAR, queryFn: () => unwrap(api.GET('/admin/calendar')) });
}

export function useCalendarYear(year: number) {
  return useQuery({ queryKey: [...CALENDAR, 'days', year], queryFn: () => unwrap(api.GET('/admin/calendar/days', { params: { query: { year } } })) });
}

/** The coverage warning is detail of /health (for admins; it never makes the service unhealthy). */
export function useHealth() {
  return useQuery({ queryKey: ['health'], queryFn: () => unwrap(api.GET('/health')) });
}

export function useCalendarChanges() {
  const invalidate = useInvalidate();
  const done = () => invalidate(CALENDAR, ['health']);
  return {
    addClosure: useMutation({ mutationFn: (body: Schemas['AddClosureDto']) => unwrap(api.POST('/admin/calendar/closures', { body })), onSuccess: done }),
    removeClosure: useMutation({
      mutationFn: (date: string) => unwrap(api.DELETE('/admin/calendar/closures/{date}', { params: { path: { date } } })),
      onSuccess: done,
    }),
    importIcs: useMutation({ mutationFn: (body: Schemas['ImportIcsDto']) => unwrap(api.POST('/admin/calendar/import', { body })), onSuccess: done }),
  };
}

// ── Deadline policy ────────────────────────────────────────────────────────────────────────────────

// GET /deadline-policy[/versions] are read by every role: the key is not under 'admin'.
const DEADLINE_POLICY = ['deadline-policy'] as const;

/** The version in force, with who published it (null for the built-in version 1). */
export function useDeadlinePolicy() {
  return useQuery({ queryKey: DEADLINE_POLICY, queryFn: () => unwrap(api.GET('/deadline-policy')) });
}

/** Every published version, newest first. */
export function useDeadlinePolicyVersions() {
  return useQuery({ queryKey: [...DEADLINE_POLICY, 'versions'], queryFn: () => unwrap(api.GET('/deadline-policy/versions')) });
}

/** Policies from practice, to start a draft from (they change only with the server). */
export function useDeadlinePolicyPresets() {
  return useQuery({ queryKey: ['admin', 'deadline-policy', 'presets'], queryFn: () => unwrap(api.GET('/admin/deadline-policy/presets')), staleTime: Infinity });
}

/** Publishes the next version; the version in force and the history are read again (a 409 means someone published first). */
export function usePublishDeadlinePolicy() {
  const client = useQueryClient();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: Schemas['PublishDeadlinePolicyDto']) => unwrap(api.POST('/admin/deadline-policy', { body })),
    onSuccess: (published) => {
      client.setQueryData(DEADLINE_POLICY, published);
      return invalidate(DEADLINE_POLICY);
    },
    // Someone published first: the page shows their version while the admin decides to reload.
    onError: (error) => (error instanceof ApiError && error.code === 'POLICY.VERSION_CONFLICT' ? invalidate(DEADLINE_POLICY) : undefined),
  });
}

// ── Webhooks ────────────────────────────────────────────────────────────────────────────────────────

const WEBHOOKS = ['admin', 'webhooks'] as const;
const deliveriesKey = (subscriptionId: string) => [...WEBHOOKS, subscriptionId, 'deliveries'] as const;

export function useWebhooks() {
  return useQuery({ queryKey: WEBHOOKS, queryFn: async () => (await unwrap(api.GET('/admin/webhooks'))).items });
}

export function useWebhookDeliveries(subscriptionId: string | null) {
  return useQuery({
    queryKey: deliveriesKey(subscriptionId ?? ''),
    queryFn: async () =>
      (await unwrap(api.GET('/admin/webhooks/{id}/deliveries', { params: { path: { id: subscriptionId! }, query: { limit: 100 } } }))).items,
    enabled: subscriptionId !== null,
  });
}

export function useWebhookDelivery(deliveryId: string | null) {
  return useQuery({
    queryKey: ['admin', 'webhook-delivery', deliveryId ?? ''],
    queryFn: () => unwrap(api.GET('/admin/webhook-deliveries/{id}', { params: { path: { id: deliveryId! } } })),
    enabled: deliveryId !== null,
  });
}

export function useWebhookChanges() {
  const invalidate = useInvalidate();
  return {
    create: useMutation({
      mutationFn: (body: Schemas['CreateWebhookDto']) => unwrap(api.POST('/admin/webhooks', { body })),
      onSuccess: () => invalidate(WEBHOOKS),
    }),
    setActive: useMutation({
      mutationFn: ({ subscriptionId, active }: { subscriptionId: string; active: boolean }) =>
        unwrap(api.POST(active ? '/admin/webhooks/{id}/enable' : '/admin/webhooks/{id}/disable', { params: { path: { id: subscriptionId } } })),
      onSuccess: () => invalidate(WEBHOOKS),
    }),
    redeliver: useMutation({
      mutationFn: (deliveryId: string) => unwrap(api.POST('/admin/webhook-deliveries/{id}/redeliver', { params: { path: { id: deliveryId } } })),
      onSuccess: (delivery) => invalidate(deliveriesKey(delivery.subscriptionId), ['admin', 'webhook-delivery', delivery.id]),
    }),
  };
}

// ── Notifications: channels, routing, the delivery log ──────────────────────────────────────────────

const CHANNELS = ['admin', 'notification-channels'] as const;
const ROUTING = ['admin', 'notification-routing'] as const;
const LOG = ['admin', 'notifications'] as const;

export function useChannels() {
  return useQuery({ queryKey: CHANNELS, queryFn: async () => (await unwrap(api.GET('/admin/notification-channels'))).items });
}

export function useChannelChanges() {
  const invalidate = useInvalidate();
  return {
    create: useMutation({
      mutationFn: (body: NewChannel) => unwrap(api.POST('/admin/notification-channels', { body })),
      onSuccess: () => invalidate(CHANNELS),
    }),
    update: useMutation({
      mutationFn: ({ channelId, ...body }: ChannelChange & { channelId: string }) =>
        unwrap(api.PATCH('/admin/notification-channels/{id}', { params: { path: { id: channelId } }, body })),
      onSuccess: () => invalidate(CHANNELS),
    }),
    // A test is logged like any message.
    test: useMutation({
      mutationFn: (channelId: string) => unwrap(api.POST('/admin/notification-channels/{id}/test', { params: { path: { id: channelId } } })),
      onSuccess: () => invalidate(LOG),
    }),
  };
}

export function useRouting() {
  return useQuery({ queryKey: ROUTING, queryFn: () => unwrap(api.GET('/admin/notifications/routing')) });
}

export function useReplaceRouting() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (rules: Array<Omit<RoutingRule, 'id'>>) => unwrap(api.PUT('/admin/notifications/routing', { body: { rules } })),
    onSuccess: (table) => client.setQueryData(ROUTING, table),
  });
}

export type LogFilters = Omit<NonNullable<operations['NotificationLogController_list']['parameters']['query']>, 'limit'>;

export function useNotificationLog(filters: LogFilters) {
  const query = setFilters({ ...filters, limit: 50 });
  return useQuery({
    queryKey: [...LOG, query],
    queryFn: async () => (await unwrap(api.GET('/admin/notifications', { params: { query } }))).items,
  });
}

export function useNotification(notificationId: string | null) {
  return useQuery({
    queryKey: [...LOG, 'one', notificationId ?? ''],
    queryFn: () => unwrap(api.GET('/admin/notifications/{id}', { params: { path: { id: notificationId! } } })),
    enabled: notificationId !== null,
  });
}

export function useRedeliverNotification() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (notificationId: string) => unwrap(api.POST('/admin/notifications/{id}/redeliver', { params: { path: { id: notificationId } } })),
    onSuccess: () => invalidate(LOG),
  });
}
