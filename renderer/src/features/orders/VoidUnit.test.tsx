import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderSummary, Page, UnitSummary } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { OrderDetail as Detail } from './OrderDetail';

let fake: FakeApi;
let OrderDetail: typeof Detail;
beforeAll(async () => {
  fake = installFakeApi();
  ({ OrderDetail } = await import('./OrderDetail'));
});

const order = {
  orderId: 'WO-7',
  profileName: 'sensor-v2',
  profileHash: 'ab'.repeat(32),
  quantity: 2,
  reserved: 2,
  collisions: 0,
  state: 'ready',
  note: '',
  serials: null,
  idPolicy: { alphabet: '0123456789', length: 10, checkSymbol: false },
  counts: { reserved: 1, provisioned: 1 },
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
} as OrderSummary;

const unit = (claimId: string, state: UnitSummary['state']): UnitSummary => ({
  claimId,
  serial: null,
  orderId: 'WO-7',
  state,
  profileHash: null,
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
});

const page: Page<UnitSummary> = {
  items: [unit('AAAA-1111', 'reserved'), unit('BBBB-2222', 'provisioned')],
  nextCursor: null,
  total: 2,
  totalIsCapped: false,
};
const voids = () => fake.calls.filter((c) => c.operation === 'orders.voidUnit').map((c) => c.request);

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers = { 'orders.listUnits': () => page };
});

async function openVoid() {
  const user = userEvent.setup();
  render(<OrderDetail order={order} active={false} onChanged={vi.fn()} />);
  await user.click(await screen.findByRole('button', { name: 'Void AAAA-1111' }));
  return { user, group: screen.getByRole('group', { name: 'Void AAAA-1111' }) };
}

describe('Void unit', () => {
  it('offers no void for a provisioned unit', async () => {
    render(<OrderDetail order={order} active={false} onChanged={vi.fn()} />);
    await screen.findByRole('button', { name: 'Void AAAA-1111' });
    expect(screen.queryByRole('button', { name: 'Void BBBB-2222' })).toBeNull();
  });

  it('needs a reason: nothing is chosen for the engineer, and Confirm waits for one', async () => {
    fake.answers['orders.voidUnit'] = () => unit('AAAA-1111', 'voided');
    const { user, group } = await openVoid();
    const reason = within(group).getByLabelText('Reason');
    const confirm = within(group).getByRole('button', { name: 'Confirm void' });
    expect(reason).toHaveProperty('value', '');
    expect(confirm).toHaveProperty('disabled', true);
    await user.click(confirm);
    expect(voids()).toEqual([]);

    await user.selectOptions(reason, 'label-damaged');
    expect(confirm).toHaveProperty('disabled', false);
    await user.click(confirm);
    await waitFor(() => expect(voids()).toEqual([{ claimId: 'AAAA-1111', reason: 'label-damaged' }]));
    expect(screen.queryByRole('group', { name: 'Void AAAA-1111' })).toBeNull();
  });

  it('Keep forgets the reason, and a refused void says why on the order', async () => {
    fake.answers['orders.voidUnit'] = () => {
      throw fake.failure(
        'conflict',
        'AAAA-1111 is being written in slot 2: wait for it to finish, then void it.',
      );
    };
    const { user, group } = await openVoid();
    await user.selectOptions(within(group).getByLabelText('Reason'), 'scrap');
    await user.click(within(group).getByRole('button', { name: 'Keep' }));
    await user.click(screen.getByRole('button', { name: 'Void AAAA-1111' }));
    const again = screen.getByRole('group', { name: 'Void AAAA-1111' });
    expect(within(again).getByLabelText('Reason')).toHaveProperty('value', '');

    await user.selectOptions(within(again).getByLabelText('Reason'), 'test');
    await user.click(within(again).getByRole('button', { name: 'Confirm void' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'AAAA-1111 is being written in slot 2: wait for it to finish, then void it.',
    );
    expect(voids()).toEqual([{ claimId: 'AAAA-1111', reason: 'test' }]);
  });
});
