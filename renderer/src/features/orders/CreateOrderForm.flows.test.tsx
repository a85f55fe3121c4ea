import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OrderStartedReport, ProfileReport } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { CreateOrderForm as Form } from './CreateOrderForm';

let fake: FakeApi;
let CreateOrderForm: typeof Form;
beforeAll(async () => {
  fake = installFakeApi();
  ({ CreateOrderForm } = await import('./CreateOrderForm'));
});

function profile(name: string, valid: boolean): ProfileReport {
  return {
    name,
    source: 'factory',
    file: `${name}.json5`,
    hash: 'ab'.repeat(32),
    valid,
    problems: [],
    productName: 'Sensor',
    model: null,
    description: null,
    test: null,
    productMasked: null,
    ids: { alphabet: '0123456789ABCDEFGHJKMNPQRSTVWXYZ', length: 10, checkSymbol: false, entropyBits: 50 },
    text: '',
  };
}

const started = { order: { orderId: 'WO-7' }, job: { jobId: 'J1' } } as OrderStartedReport;
const creates = () => fake.calls.filter((c) => c.operation === 'orders.create').map((c) => c.request);

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers = {
    'profiles.list': () => ({
      profiles: [profile('broken', false), profile('sensor-v2', true)],
      entropyFloor: 40,
    }),
  };
});

async function renderForm() {
  const onStarted = vi.fn();
  render(<CreateOrderForm onStarted={onStarted} />);
  // Only valid profiles are offered, the first one chosen.
  await waitFor(() => expect(screen.getByLabelText('Profile')).toHaveProperty('value', 'sensor-v2'));
  expect(within(screen.getByLabelText('Profile')).queryByText(/^broken/)).toBeNull();
  return { onStarted, user: userEvent.setup() };
}

const submit = () => screen.getByRole('button', { name: 'Create and reserve IDs' });

describe('Create order form', () => {
  it('takes 1 to 5,000,000 whole units and says what is wrong with anything else, before sending', async () => {
    const { user } = await renderForm();
    const quantity = screen.getByLabelText('Quantity');
    expect(submit()).toHaveProperty('disabled', true);
    for (const [typed, problem] of [
      ['0', 'at least 1 unit'],
      ['5000001', 'at most 5,000,000 units per order'],
      ['12.5', 'a whole number of units'],
      ['-3', 'at least 1 unit'],
      ['ten', 'enter the number of units'],
    ] as const) {
      await user.clear(quantity);
      await user.type(quantity, typed);
      expect(screen.getByRole('alert').textContent).toBe(problem);
      expect(quantity.getAttribute('aria-invalid')).toBe('true');
      expect(submit()).toHaveProperty('disabled', true);
    }
    await user.type(quantity, '{Enter}');
    for (const edge of ['1', '5000000']) {
      await user.clear(quantity);
      await user.type(quantity, edge);
      expect(screen.queryByRole('alert')).toBeNull();
      expect(submit()).toHaveProperty('disabled', false);
    }
    expect(creates()).toEqual([]);
  });

  it('previews the first and last serial of the range, following the typed width', async () => {
    const { user } = await renderForm();
    await user.type(screen.getByLabelText('Quantity'), '20');
    expect(screen.queryByTestId('serial-preview')).toBeNull();
    await user.type(screen.getByLabelText('Serial prefix (optional)'), 'SN-');
    const first = screen.getByLabelText('First serial');
    await user.clear(first);
    await user.type(first, '0990');
    // The width follows the digits typed as the first serial: 4.
    expect(screen.getByTestId('serial-preview').textContent).toBe('Serials SN-0990 … SN-1009');
    const width = screen.getByLabelText('Serial width');
    await user.clear(width);
    await user.type(width, '6');
    expect(screen.getByTestId('serial-preview').textContent).toBe('Serials SN-000990 … SN-001009');
  });

  it('sends the order it shows, and tells the caller the reservation started', async () => {
    fake.answers['orders.create'] = () => started;
    const { user, onStarted } = await renderForm();
    await user.type(screen.getByLabelText('Quantity'), '20');
    await user.type(screen.getByLabelText('Order ID (optional)'), '  WO-7 ');
    await user.type(screen.getByLabelText('Serial prefix (optional)'), 'SN-');
    await user.clear(screen.getByLabelText('First serial'));
    await user.type(screen.getByLabelText('First serial'), '0990');
    await user.click(submit());
    await waitFor(() => expect(onStarted).toHaveBeenCalledOnce());
    expect(onStarted).toHaveBeenCalledWith(started);
    expect(creates()).toEqual([
      {
        profile: 'sensor-v2',
        quantity: 20,
        orderId: 'WO-7',
        serials: { kind: 'range', prefix: 'SN-', start: 990, width: 4 },
      },
    ]);
    // Ready for the next order.
    expect(screen.getByLabelText('Quantity')).toHaveProperty('value', '');
    expect(screen.getByLabelText('Order ID (optional)')).toHaveProperty('value', '');
  });

  it('shows the station refusing the order next to the form, and keeps what was typed', async () => {
    fake.answers['orders.create'] = () => {
      throw fake.failure(
        'ids-exhausted',
        'This policy can make only 12 claim IDs and cannot reserve 500 more. Use a longer ID length in the profile.',
      );
    };
    const { user, onStarted } = await renderForm();
    await user.type(screen.getByLabelText('Quantity'), '500');
    await user.click(submit());
    const form = screen.getByRole('form', { name: 'New work order' });
    expect((await within(form).findByRole('alert')).textContent).toContain(
      'This policy can make only 12 claim IDs and cannot reserve 500 more. Use a longer ID length in the profile.',
    );
    expect(creates()).toEqual([{ profile: 'sensor-v2', quantity: 500 }]);
    expect(onStarted).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Quantity')).toHaveProperty('value', '500');
  });
});
