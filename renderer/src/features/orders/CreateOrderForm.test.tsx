import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderStartedReport, ProfilesReport } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { CreateOrderForm as Form } from './CreateOrderForm';

let fake: FakeApi;
let CreateOrderForm: typeof Form;
beforeAll(async () => {
  fake = installFakeApi();
  ({ CreateOrderForm } = await import('./CreateOrderForm'));
});

const profiles: ProfilesReport = {
  entropyFloor: 50,
  profiles: [
    {
      name: 'acme-sensor',
      source: 'factory',
      file: 'acme-sensor.json5',
      hash: 'h',
      valid: true,
      problems: [],
      productName: 'Acme Sensor',
      model: 'S1',
      description: null,
      test: false,
      productMasked: null,
      ids: { alphabet: 'X', length: 10, checkSymbol: false, entropyBits: 50 },
      text: '',
    },
  ],
};

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers = { 'profiles.list': () => profiles };
});

/** The note the field's aria-describedby names, as a technician sees it beside the field. */
function problemOf(input: HTMLElement): string | null {
  const id = input.getAttribute('aria-describedby');
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
}

async function ready() {
  render(<CreateOrderForm onStarted={() => undefined} />);
  await screen.findByRole('option', { name: /acme-sensor/ });
}

describe('CreateOrderForm', () => {
  it("shows the createOrder schema's message beside the quantity and sends nothing", async () => {
    await ready();
    await userEvent.type(screen.getByLabelText('Quantity'), '0');
    await userEvent.click(screen.getByRole('button', { name: 'Create and reserve IDs' }));
    const quantity = screen.getByLabelText('Quantity');
    expect(quantity.getAttribute('aria-invalid')).toBe('true');
    expect(problemOf(quantity)).toBe('at least 1 unit');
    expect(fake.calls.map((c) => c.operation)).not.toContain('orders.create');
  });

  it('says what is wrong with a serial width beside that field, in the same words dispatch uses', async () => {
    await ready();
    await userEvent.type(screen.getByLabelText('Quantity'), '10');
    await userEvent.type(screen.getByLabelText('Serial prefix (optional)'), 'SN');
    const width = screen.getByLabelText('Serial width');
    await userEvent.clear(width);
    await userEvent.type(width, '25');
    await userEvent.type(screen.getByLabelText('Order ID (optional)'), 'W'.repeat(41));
    await userEvent.click(screen.getByRole('button', { name: 'Create and reserve IDs' }));
    expect(problemOf(screen.getByLabelText('Serial width'))).toBe('at most 20 digits');
    expect(problemOf(screen.getByLabelText('Order ID (optional)'))).toBe(
      'a work-order ID has at most 40 characters',
    );
    expect(screen.getByLabelText('Quantity').getAttribute('aria-invalid')).toBeNull();
    expect(fake.calls.map((c) => c.operation)).not.toContain('orders.create');
  });

  it('sends a request the schema accepts, and clears the notes once it is fixed', async () => {
    let started: OrderStartedReport | null = null;
    fake.answers['orders.create'] = () => ({ order: { orderId: 'WO-9' }, job: { jobId: 'J1' } });
    render(<CreateOrderForm onStarted={(s) => (started = s)} />);
    await screen.findByRole('option', { name: /acme-sensor/ });
    const quantity = screen.getByLabelText('Quantity');
    await userEvent.type(quantity, '0');
    await userEvent.click(screen.getByRole('button', { name: 'Create and reserve IDs' }));
    expect(problemOf(quantity)).toBe('at least 1 unit');
    await userEvent.clear(quantity);
    await userEvent.type(quantity, '250');
    await userEvent.click(screen.getByRole('button', { name: 'Create and reserve IDs' }));
    await waitFor(() => expect(started).not.toBeNull());
    expect(fake.calls).toContainEqual({
      operation: 'orders.create',
      request: { profile: 'acme-sensor', quantity: 250 },
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
