import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage } from '../../../test/render';
import { ChannelForm, channelBody } from './ChannelForm';

const FACILITIES = { id: '0190a000-0000-7000-8000-000000000001', name: 'Facilities' };

function api() {
  return fakeFetch({
    'POST /admin/notification-channels': (body) => {
      const input = body as { webhookUrl?: string };
      if (input.webhookUrl?.includes('10.0.0.5')) {
        return { status: 422, json: { code: 'WEBHOOK.TARGET_NOT_ALLOWED', message: 'Robots may not target 10.0.0.5: it is a private address.', details: { field: 'webhookUrl' } } };
      }
      return { status: 201, json: { id: 'ch-1', ...input, target: 'https://oapi.dingtalk.com/robot/send' } };
    },
  });
}

function chooseKind(dialog: HTMLElement, label: string) {
  fireEvent.mouseDown(within(dialog).getByLabelText('Kind'));
  fireEvent.click(screen.getAllByText(label).find((element) => element.closest('.ant-select-item-option'))!);
}

describe('ChannelForm', () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each([
    ['Email (SMTP)', ['SMTP URL', 'From'], false],
    ['DingTalk group robot', ['Robot webhook URL', 'Signing secret (加签)'], true],
    ['Feishu group robot', ['Robot webhook URL', 'Signing secret (加签)'], true],
    ['WeCom group robot', ['Robot webhook URL'], true],
  ])('asks %s for its own fields only', async (kind, labels, robot) => {
    // given
    vi.stubGlobal('fetch', api().fetch);
    renderPage(<ChannelForm departments={[FACILITIES]} onClose={() => undefined} />, { role: 'admin' });
    const dialog = await screen.findByRole('dialog');

    // when
    chooseKind(dialog, kind);

    // then
    expect(await within(dialog).findByLabelText(labels[0])).toBeTruthy();
    for (const label of labels) expect(within(dialog).getByLabelText(label)).toBeTruthy();
    for (const other of ['SMTP URL', 'From', 'Robot webhook URL', 'Signing secret (加签)'].filter((label) => !labels.includes(label))) {
      expect(within(dialog).queryByLabelText(other)).toBeNull();
    }
    // a robot belongs to a department's group; the SMTP server is the organisation's
    expect(within(dialog).queryByLabelText('Department') !== null).toBe(robot);
  });

  it('sends a DingTalk robot with its URL and 加签 secret, and nothing left from the email fields', async () => {
    // given
    const fake = api();
    vi.stubGlobal('fetch', fake.fetch);
    const onClose = vi.fn();
    renderPage(<ChannelForm departments={[FACILITIES]} onClose={onClose} />, { role: 'admin' });
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('SMTP URL'), { target: { value: 'smtps://user:pw@smtp.example.org:465' } });

    // when
    chooseKind(dialog, 'DingTalk group robot');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Facilities DingTalk group' } });
    fireEvent.change(await within(dialog).findByLabelText('Robot webhook URL'), { target: { value: 'https://oapi.dingtalk.com/robot/send?access_token=abc' } });
    fireEvent.change(within(dialog).getByLabelText('Signing secret (加签)'), { target: { value: 'SECxyz' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    // then
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(fake.calls.find((call) => call.method === 'POST')?.body).toEqual({
      kind: 'dingtalk',
      name: 'Facilities DingTalk group',
      dailyDigest: true,
      webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
      secret: 'SECxyz',
    });
  });

  it('does not send an email channel without its From address', async () => {
    const fake = api();
    vi.stubGlobal('fetch', fake.fetch);
    renderPage(<ChannelForm departments={[]} onClose={() => undefined} />, { role: 'admin' });
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'SMTP' } });
    fireEvent.change(within(dialog).getByLabelText('SMTP URL'), { target: { value: 'smtps://user:pw@smtp.example.org:465' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(within(dialog).getByLabelText('From').getAttribute('aria-invalid')).toBe('true'));
    expect(fake.calls).toEqual([]);
  });

  it("puts the server's refusal on the robot URL it names", async () => {
    vi.stubGlobal('fetch', api().fetch);
    renderPage(<ChannelForm departments={[]} onClose={() => undefined} />, { role: 'admin' });
    const dialog = await screen.findByRole('dialog');
    chooseKind(dialog, 'WeCom group robot');
    fireEvent.change(within(dialog).getByLabelText('Name'), { target: { value: 'Ops WeCom' } });
    fireEvent.change(await within(dialog).findByLabelText('Robot webhook URL'), { target: { value: 'http://10.0.0.5/cgi-bin/webhook/send?key=k' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    const message = await within(dialog).findByText('Robots may not target 10.0.0.5: it is a private address.');
    expect(message.closest('.ant-form-item')?.querySelector('input')?.id).toBe('webhookUrl');
  });

  it('has no serious accessibility violations', async () => {
    vi.stubGlobal('fetch', api().fetch);
    renderPage(<ChannelForm departments={[FACILITIES]} onClose={() => undefined} />, { role: 'admin' });
    const dialog = await screen.findByRole('dialog');
    const results = await axe.run(dialog);
    expect(results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id)).toEqual([]);
  });
});

describe(channelBody.name, () => {
  it('keeps only the chosen kind’s fields, trimmed', () => {
    expect(channelBody({ kind: 'wecom', name: ' Ops ', webhookUrl: ' https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k ', secret: 'left over', smtpUrl: 'smtp://x' })).toEqual({
      kind: 'wecom',
      name: 'Ops',
      webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k',
    });
  });
});
