import { Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { AdminUser, CreatedUser, DepartmentNode, IssuedInvitation } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { dynamicKey, useI18n } from '../../i18n/i18n';
import { useDepartmentTree, useUserChanges, useUsers } from './admin-queries';
import { showOnFields } from './form-errors';
import { ShowOnce } from './ShowOnce';
import { UserTokensDrawer } from './UserTokensDrawer';

const ROLES = ['inspector', 'department', 'supervisor', 'admin'] as const;
/** Roles that act for a department and so must belong to one (the server says USER.DEPARTMENT_REQUIRED). */
const DEPARTMENT_ROLES: readonly string[] = ['department', 'supervisor'];

function flatten(nodes: DepartmentNode[], path: string[] = []): Array<{ id: string; label: string; active: boolean }> {
  return nodes.flatMap((node) => [
    { id: node.id, label: [...path, node.name].join(' / '), active: node.active },
    ...flatten(node.children, [...path, node.name]),
  ]);
}

/** Everyone who signs in or calls the API: create, first password or invitation, (de)activate, tokens. */
export default function UsersPage() {
  const { t, language } = useI18n();
  const users = useUsers();
  const tree = useDepartmentTree();
  const changes = useUserChanges();
  const departments = useMemo(() => flatten(tree.data ?? []), [tree.data]);
  const departmentName = (id: string | null) => (id === null ? '—' : (departments.find((d) => d.id === id)?.label ?? id));
  const [creating, setCreating] = useState(false);
  const [passwordFor, setPasswordFor] = useState<AdminUser | null>(null);
  const [invitation, setInvitation] = useState<IssuedInvitation | null>(null);
  const [tokensFor, setTokensFor] = useState<AdminUser | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function act(action: () => Promise<unknown>) {
    setActionError(null);
    try {
      await action();
    } catch (caught) {
      setActionError(caught);
    }
  }

  const invite = (user: AdminUser) => act(async () => setInvitation(await changes.invite.mutateAsync(user.id)));

  return (
    <section>
      <Typography.Title level={2}>{t('admin.users.title')}</Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setCreating(true)}>
          {t('admin.users.create')}
        </Button>
      </Space>
      {actionError !== null && (
        <div style={{ marginBottom: 16 }}>
          <ErrorNotice error={actionError} />
        </div>
      )}
      {users.error ? (
        <ErrorNotice error={users.error} />
      ) : (
        <Table<AdminUser>
          rowKey="id"
          loading={users.isPending}
          dataSource={users.data ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: true }}
          columns={[
            { title: t('admin.users.name'), dataIndex: 'name' },
            { title: t('admin.users.username'), dataIndex: 'username' },
            { title: t('admin.users.role'), dataIndex: 'role', render: (role: string) => t(dynamicKey('role', role)) },
            { title: t('admin.users.department'), dataIndex: 'departmentId', render: departmentName },
            {
              title: t('admin.state'),
              key: 'state',
              render: (_: unknown, user) => (
                <Space wrap size={4}>
                  {user.active ? <Tag color="green">{t('admin.active')}</Tag> : <Tag>{t('admin.inactive')}</Tag>}
                  {user.mustChangePassword && <Tag color="orange">{t('admin.users.mustChangePassword')}</Tag>}
                </Space>
              ),
            },
            { title: t('admin.createdAt'), dataIndex: 'createdAt', render: (value: string) => formatInstant(value, language) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, user) => (
                <Space wrap size="small">
                  <Button size="small" onClick={() => setPasswordFor(user)}>
                    {t('admin.users.setPassword')}
                  </Button>
                  <Button size="small" onClick={() => invite(user)}>
                    {t('admin.users.invite')}
                  </Button>
                  <Button size="small" onClick={() => setTokensFor(user)}>
                    {t('admin.users.tokens')}
                  </Button>
                  {user.active ? (
                    <Popconfirm
                      title={t('admin.users.deactivateConfirm', { name: user.name })}
                      okText={t('admin.deactivate')}
                      cancelText={t('app.cancel')}
                      onConfirm={() => act(() => changes.setActive.mutateAsync({ userId: user.id, active: false }))}
                    >
                      <Button size="small" danger>
                        {t('admin.deactivate')}
                      </Button>
                    </Popconfirm>
                  ) : (
                    <Button size="small" onClick={() => act(() => changes.setActive.mutateAsync({ userId: user.id, active: true }))}>
                      {t('admin.reactivate')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {creating && (
        <CreateUserDialog
          departments={departments.filter((d) => d.active)}
          onClose={() => setCreating(false)}
          onSetPassword={(user) => {
            setCreating(false);
            setPasswordFor(user);
          }}
          onInvite={(user) => {
            setCreating(false);
            void invite(user);
          }}
        />
      )}
      {passwordFor && <PasswordDialog user={passwordFor} onClose={() => setPasswordFor(null)} />}
      <Modal
        open={invitation !== null}
        title={t('admin.users.invitationTitle', { username: invitation?.username ?? '' })}
        onCancel={() => setInvitation(null)}
        footer={<Button onClick={() => setInvitation(null)}>{t('admin.done')}</Button>}
      >
        {invitation && (
          <ShowOnce
            label={t('admin.users.invitationCode')}
            value={invitation.code}
            note={t('admin.users.invitationNote', { expiresAt: formatInstant(invitation.expiresAt, language) })}
          />
        )}
      </Modal>
      {tokensFor && <UserTokensDrawer user={tokensFor} onClose={() => setTokensFor(null)} />}
    </section>
  );
}

interface NewUser {
  name: string;
  username?: string;
  role: (typeof ROLES)[number];
  departmentId?: string;
}

/** Name, role and department; the answer carries the first API token, shown once, and leads on to a password or an invitation. */
export function CreateUserDialog({
  departments,
  onClose,
  onSetPassword,
  onInvite,
}: {
  departments: Array<{ id: string; label: string }>;
  onClose(): void;
  onSetPassword(user: AdminUser): void;
  onInvite(user: AdminUser): void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<NewUser>();
  const changes = useUserChanges();
  const role = Form.useWatch('role', form);
  const [created, setCreated] = useState<CreatedUser | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    // An invalid field shows its own message; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    setError(null);
    try {
      setCreated(
        await changes.create.mutateAsync({
          name: values.name,
          role: values.role,
          ...(values.username?.trim() ? { username: values.username.trim() } : {}),
          ...(values.departmentId ? { departmentId: values.departmentId } : {}),
        }),
      );
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    return (
      <Modal
        open
        title={t('admin.users.created', { name: created.user.name, username: created.user.username })}
        onCancel={onClose}
        footer={
          <Space wrap>
            <Button type="primary" onClick={() => onSetPassword(created.user)}>
              {t('admin.users.setPassword')}
            </Button>
            <Button onClick={() => onInvite(created.user)}>{t('admin.users.invite')}</Button>
            <Button onClick={onClose}>{t('admin.done')}</Button>
          </Space>
        }
      >
        <Typography.Paragraph>{t('admin.users.createdNext')}</Typography.Paragraph>
        <ShowOnce label={t('admin.users.firstToken')} value={created.token.token} />
      </Modal>
    );
  }

  return (
    <Modal open title={t('admin.users.create')} okText={t('app.save')} cancelText={t('app.cancel')} onOk={submit} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      {error !== null && <ErrorNotice error={error} />}
      <Form form={form} layout="vertical" initialValues={{ role: 'inspector' }}>
        <Form.Item name="name" label={t('admin.users.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="username" label={t('admin.users.username')} extra={t('admin.users.usernameHint')}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item name="role" label={t('admin.users.role')} rules={[{ required: true }]}>
          <Select options={ROLES.map((value) => ({ value, label: t(dynamicKey('role', value)) }))} />
        </Form.Item>
        <Form.Item
          name="departmentId"
          label={t('admin.users.department')}
          required={DEPARTMENT_ROLES.includes(role ?? '')}
          dependencies={['role']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                value || !DEPARTMENT_ROLES.includes(getFieldValue('role') as string) ? Promise.resolve() : Promise.reject(new Error(t('admin.users.departmentRequired'))),
            }),
          ]}
        >
          <Select allowClear showSearch optionFilterProp="label" options={departments.map((d) => ({ value: d.id, label: d.label }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A first password chosen by the admin: the user must change it at first sign-in; their sessions end. */
function PasswordDialog({ user, onClose }: { user: AdminUser; onClose(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ password: string }>();
  const changes = useUserChanges();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    // An invalid field shows its own message; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const { password } = values;
    setBusy(true);
    setError(null);
    try {
      await changes.setPassword.mutateAsync({ userId: user.id, password });
      onClose();
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      title={t('admin.users.setPasswordFor', { name: user.name })}
      okText={t('app.save')}
      cancelText={t('app.cancel')}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('admin.users.setPasswordNote')}</Typography.Paragraph>
      {error !== null && <ErrorNotice error={error} />}
      <Form form={form} layout="vertical">
        <Form.Item name="password" label={t('admin.users.password')} rules={[{ required: true, min: 10 }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
