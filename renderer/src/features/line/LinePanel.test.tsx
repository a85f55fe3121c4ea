import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LineStatusReport } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { LinePanel as Panel } from './LinePanel';

let fake: FakeApi;
let LinePanel: typeof Panel;
beforeAll(async () => {
  fake = installFakeApi();
  ({ LinePanel } = await import('./LinePanel'));
});

const standalone: LineStatusReport = {
  state: 'standalone',
  url: null,
  source: null,
  since: null,
  message: null,
  lineId: null,
  stationId: 'st-1',
  pending: 0,
  lastPushAt: null,
  clockSkewMs: null,
  clockWarning: null,
  blockSize: 1000,
  lowWater: 250,
  activeOrder: null,
  orders: [],
};

const sent = (operation: string) => fake.calls.filter((c) => c.operation === operation).map((c) => c.request);
const blockField = () => screen.getByLabelText('IDs per lease');
const lowField = () => screen.getByLabelText('Lease more below');
const apply = () => screen.getByRole('button', { name: 'Apply lease size' });

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers = { 'line.getStatus': () => ({ ...standalone }) };
});

async function renderPanel() {
  render(<LinePanel />);
  await waitFor(() => expect(blockField()).toHaveProperty('value', '1000'));
  expect(lowField()).toHaveProperty('value', '250');
  return userEvent.setup();
}

describe('Settings → Line', () => {
  it('keeps a lease size being typed when the line status reloads (lineChanged)', async () => {
    const user = await renderPanel();
    await user.clear(blockField());
    await user.type(blockField(), '500');
    const loads = sent('line.getStatus').length;
    fake.emit('lineChanged', standalone);
    await waitFor(() => expect(sent('line.getStatus').length).toBe(loads + 1));
    // The reload answered (the pending count would change on a live line): the typing stays.
    await waitFor(() =>
      expect(screen.getByTestId('line-state').textContent).toBe('Working alone (not on a line).'),
    );
    expect(blockField()).toHaveProperty('value', '500');
    expect(lowField()).toHaveProperty('value', '250');
  });

  it('says what is wrong with a lease size before sending, and sends a valid one as numbers', async () => {
    fake.answers['line.setSettings'] = () => ({ ...standalone, blockSize: 500, lowWater: 100 });
    const user = await renderPanel();
    expect(apply()).toHaveProperty('disabled', false);
    for (const [block, low, problem] of [
      ['0', '0', 'IDs per lease: lease at least 1 ID at a time.'],
      ['100001', '10', 'IDs per lease: at most 100,000 IDs per lease.'],
      ['12.5', '1', 'IDs per lease: a whole number of IDs.'],
      ['500', '', 'Lease more below: enter how many IDs left start the next lease.'],
      [
        '500',
        '500',
        'Lease more below must be smaller than IDs per lease, so the next lease comes before the block runs out.',
      ],
    ] as const) {
      await user.clear(blockField());
      await user.type(blockField(), block);
      await user.clear(lowField());
      if (low) await user.type(lowField(), low);
      expect(screen.getByRole('alert').textContent).toBe(problem);
      expect(apply()).toHaveProperty('disabled', true);
    }
    expect(sent('line.setSettings')).toEqual([]);

    await user.clear(lowField());
    await user.type(lowField(), '100');
    expect(screen.queryByRole('alert')).toBeNull();
    await user.click(apply());
    await waitFor(() => expect(sent('line.setSettings')).toEqual([{ blockSize: 500, lowWater: 100 }]));
  });

  it('connects with the typed URL, and shows a refusal without losing it', async () => {
    fake.answers['line.connect'] = () => {
      throw fake.failure('line-unavailable', 'The line database refused the password: check the URL.');
    };
    const user = await renderPanel();
    const connect = screen.getByRole('button', { name: 'Connect' });
    expect(connect).toHaveProperty('disabled', true);
    await user.type(screen.getByLabelText('Line database URL'), '   ');
    expect(connect).toHaveProperty('disabled', true);
    await user.clear(screen.getByLabelText('Line database URL'));
    await user.type(screen.getByLabelText('Line database URL'), 'postgres://st:pw@127.0.0.1:5432/line');
    await user.click(connect);
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The line database refused the password: check the URL.',
    );
    expect(sent('line.connect')).toEqual([{ url: 'postgres://st:pw@127.0.0.1:5432/line' }]);
    expect(screen.getByLabelText('Line database URL')).toHaveProperty(
      'value',
      'postgres://st:pw@127.0.0.1:5432/line',
    );
  });
});
