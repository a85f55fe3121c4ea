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

const status: LineStatusReport = {
  state: 'standalone',
  url: null,
  source: null,
  since: null,
  message: null,
  lineId: null,
  stationId: 'S1',
  pending: 0,
  lastPushAt: null,
  clockSkewMs: null,
  clockWarning: null,
  blockSize: 500,
  lowWater: 100,
  activeOrder: null,
  orders: [],
};

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers = { 'line.getStatus': () => status, 'line.setSettings': () => status };
});

const problemOf = (input: HTMLElement) =>
  document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent ?? null;

describe('LinePanel lease settings', () => {
  it("shows setLineSettings' messages beside the fields and sends nothing until they are fixed", async () => {
    render(<LinePanel />);
    const block = screen.getByLabelText('IDs per lease');
    await waitFor(() => expect(block).toHaveProperty('value', '500'));
    await userEvent.clear(block);
    await userEvent.type(block, '0');
    const low = screen.getByLabelText('Lease more below');
    await userEvent.clear(low);
    await userEvent.click(screen.getByRole('button', { name: 'Apply lease size' }));
    expect(problemOf(block)).toBe('lease at least 1 ID at a time');
    expect(problemOf(low)).toBe('enter how many IDs left start the next lease');
    expect(fake.calls.map((c) => c.operation)).not.toContain('line.setSettings');

    await userEvent.clear(block);
    await userEvent.type(block, '1000');
    await userEvent.type(low, '200');
    await userEvent.click(screen.getByRole('button', { name: 'Apply lease size' }));
    await waitFor(() =>
      expect(fake.calls).toContainEqual({
        operation: 'line.setSettings',
        request: { blockSize: 1000, lowWater: 200 },
      }),
    );
    expect(block.getAttribute('aria-invalid')).toBeNull();
  });
});
