import { Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { DepartmentNode } from '../../api/views';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatInstant } from '../../components/format';
import { useI18n } from '../../i18n/i18n';
import { useDepartmentChanges, useDepartmentTree } from './admin-queries';
import { showOnFields } from './form-errors';

/** The top of the tree, as a picker value (the server takes null). */
const TOP = '';

type Dialog = { mode: 'create'; parentId: string | null } | { mode: 'rename'; department: DepartmentNode } | { mode: 'move'; department: DepartmentNode };

/** Every department with the path above it, in tree order: what the parent pickers list. */
function flatten(nodes: DepartmentNode[], path: string[] = []): Array<{ node: DepartmentNode; path: string[] }> {
  return nodes.flatMap((node) => [{ node, path }, ...flatten(node.children, [...path, node.name])]);
}

/** Leaves without `children`, or the table offers to expand them onto nothing. */
type Row = Omit<DepartmentNode, 'children'> & { children?: Row[] };
function rows(nodes: DepartmentNode[]): Row[] {
  return nodes.map(({ children, ...node }) => (children.length > 0 ? { ...node, children: rows(children) } : node));
}

function subtreeIds(node: DepartmentNode): Set<string> {
  return new Set([node.id, ...node.children.flatMap((child) => [...subtreeIds(child)])]);
}

/** The supervising hierarchy (unit → supervising office → leadership): create, rename, move, deactivate. */
export default function DepartmentsPage() {
  const { t, language } = useI18n();
  const tree = useDepartmentTree();
  const changes = useDepartmentChanges();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const all = useMemo(() => flatten(tree.data ?? []), [tree.data]);
  const data = useMemo(() => rows(tree.data ?? []), [tree.data]);
  const byId = useMemo(() => new Map(all.map(({ node }) => [node.id, node])), [all]);

  async function deactivate(department: DepartmentNode) {
    setActionError(null);
    try {
      await changes.deactivate.mutateAsync(department.id);
    } catch (caught) {
      // 409 with what is still open: the message says what to move first.
      setActionError(caught);
    }
  }

  return (
    <section>
      <Typography.Title level={2}>{t('admin.departments.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('admin.departments.intro')}</Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" onClick={() => setDialog({ mode: 'create', parentId: null })}>
          {t('admin.departments.createTop')}
        </Button>
      </Space>
      {actionError !== null && (
        <div style={{ marginBottom: 16 }}>
          <ErrorNotice error={actionError} />
        </div>
      )}
      {tree.error ? (
        <ErrorNotice error={tree.error} />
      ) : (
        <Table<Row>
          rowKey="id"
          loading={tree.isPending}
          dataSource={data}
          pagination={false}
          scroll={{ x: true }}
          // Mounted once the tree is there, so every level starts open.
          expandable={{ defaultExpandAllRows: true }}
          key={tree.isPending ? 'loading' : 'loaded'}
          columns={[
            { title: t('admin.departments.name'), dataIndex: 'name' },
            {
              title: t('admin.state'),
              dataIndex: 'active',
              render: (active: boolean) => (active ? <Tag color="green">{t('admin.active')}</Tag> : <Tag>{t('admin.inactive')}</Tag>),
            },
            { title: t('admin.createdAt'), dataIndex: 'createdAt', render: (value: string) => formatInstant(value, language) },
            {
              title: t('app.actions'),
              key: 'actions',
              render: (_: unknown, row) => {
                const department = byId.get(row.id);
                if (!department?.active) return null;
                return (
                  <Space wrap size="small">
                    <Button size="small" onClick={() => setDialog({ mode: 'create', parentId: department.id })}>
                      {t('admin.departments.createUnder')}
                    </Button>
                    <Button size="small" onClick={() => setDialog({ mode: 'rename', department })}>
                      {t('admin.departments.rename')}
                    </Button>
                    <Button size="small" onClick={() => setDialog({ mode: 'move', department })}>
                      {t('admin.departments.move')}
                    </Button>
                    <Popconfirm
                      title={t('admin.departments.deactivateConfirm', { name: department.name })}
                      okText={t('admin.deactivate')}
                      cancelText={t('app.cancel')}
                      onConfirm={() => deactivate(department)}
                    >
                      <Button size="small" danger>
                        {t('admin.deactivate')}
                      </Button>
                    </Popconfirm>
                  </Space>
                );
              },
            },
          ]}
        />
      )}
      {dialog && <DepartmentDialog dialog={dialog} all={all} onClose={() => setDialog(null)} />}
    </section>
  );
}

function DepartmentDialog({ dialog, all, onClose }: { dialog: Dialog; all: Array<{ node: DepartmentNode; path: string[] }>; onClose(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ name?: string; parentId?: string }>();
  const changes = useDepartmentChanges();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A department cannot move under itself or below it (the server says DEPARTMENT.CYCLE too).
  const excluded = dialog.mode === 'move' ? subtreeIds(dialog.department) : new Set<string>();
  const parents = [
    { value: TOP, label: t('admin.departments.top') },
    ...all
      .filter(({ node }) => node.active && !excluded.has(node.id))
      .map(({ node, path }) => ({ value: node.id, label: [...path, node.name].join(' / ') })),
  ];
  const title =
    dialog.mode === 'create' ? t('admin.departments.create') : dialog.mode === 'rename' ? t('admin.departments.rename') : t('admin.departments.move');
  const initialValues =
    dialog.mode === 'create'
      ? { parentId: dialog.parentId ?? TOP }
      : dialog.mode === 'rename'
        ? { name: dialog.department.name }
        : { parentId: dialog.department.parentId ?? TOP };

  async function submit() {
    // An invalid field shows its own message; nothing is sent.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const parentId = values.parentId === TOP || values.parentId === undefined ? null : values.parentId;
    setBusy(true);
    setError(null);
    try {
      if (dialog.mode === 'create') await changes.create.mutateAsync({ name: values.name!, ...(parentId === null ? {} : { parentId }) });
      else if (dialog.mode === 'rename') await changes.update.mutateAsync({ departmentId: dialog.department.id, name: values.name! });
      else await changes.update.mutateAsync({ departmentId: dialog.department.id, parentId });
      onClose();
    } catch (caught) {
      if (!showOnFields(form, caught)) setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={title} okText={t('app.save')} cancelText={t('app.cancel')} onOk={submit} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      {dialog.mode !== 'create' && <Typography.Paragraph>{dialog.department.name}</Typography.Paragraph>}
      {error !== null && <ErrorNotice error={error} />}
      <Form form={form} layout="vertical" initialValues={initialValues}>
        {dialog.mode !== 'move' && (
          <Form.Item name="name" label={t('admin.departments.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
        )}
        {dialog.mode !== 'rename' && (
          <Form.Item name="parentId" label={t('admin.departments.parent')}>
            <Select showSearch optionFilterProp="label" options={parents} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
