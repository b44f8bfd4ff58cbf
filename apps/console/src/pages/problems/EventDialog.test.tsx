import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import { fakeFetch, renderPage } from '../../../test/render';
import { EventDialog } from './EventDialog';

describe('EventDialog', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks exactly the fields of the event and sends what was entered', async () => {
    // given
    vi.stubGlobal('fetch', fakeFetch({ 'GET /departments': () => ({ json: { items: [] } }) }).fetch);
    const sent: Array<Record<string, unknown>> = [];
    renderPage(<EventDialog type="REJECT" open onCancel={() => undefined} onSend={async (body) => void sent.push(body)} />);

    // when
    fireEvent.change(await screen.findByLabelText('Reason'), { target: { value: 'The photo shows the exit still blocked' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));

    // then
    await waitFor(() => expect(sent).toEqual([{ reason: 'The photo shows the exit still blocked' }]));
    expect(screen.queryByLabelText('Deadline')).toBeNull();
  });

  it("puts the server's refusal on the field it names", async () => {
    // given a server that refuses the reason
    vi.stubGlobal('fetch', fakeFetch({ 'GET /departments': () => ({ json: { items: [] } }) }).fetch);
    const refuse = async () => {
      throw new ApiError(400, 'VALIDATION_FAILED', 'The request has invalid fields: reason.', [{ field: 'reason', messages: ['reason must not be blank'] }]);
    };
    renderPage(<EventDialog type="CANCEL" open onCancel={() => undefined} onSend={refuse} />);

    // when
    fireEvent.change(await screen.findByLabelText('Reason'), { target: { value: '   x' } });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));

    // then
    expect(await screen.findByText('reason must not be blank')).toBeTruthy();
  });

  it('does not send without the required fields', async () => {
    vi.stubGlobal('fetch', fakeFetch({ 'GET /departments': () => ({ json: { items: [] } }) }).fetch);
    const onSend = vi.fn(async () => undefined);
    renderPage(<EventDialog type="SUBMIT" open onCancel={() => undefined} onSend={onSend} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Confirm' }));
    await screen.findByLabelText('What was done');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(onSend).not.toHaveBeenCalled();
  });
});
