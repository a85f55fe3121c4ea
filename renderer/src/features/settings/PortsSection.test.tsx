import { Profiler, type ReactNode } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PortListReport, SetSlotsRequest, SlotReport } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { PortsSection as Section } from './PortsSection';

let fake: FakeApi;
let PortsSection: typeof Section;
beforeAll(async () => {
  fake = installFakeApi();
  ({ PortsSection } = await import('./PortsSection'));
});

const noPorts: PortListReport = { ports: [], warnings: [] };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers = { 'serial.listPorts': () => noPorts, 'serial.getSlots': () => [] };
});

const rows = () => screen.queryAllByLabelText('Bound by');

describe('Settings → Ports & fixture slots', () => {
  it('adds a slot, binds it to a port path, and applies exactly what was typed', async () => {
    const user = userEvent.setup();
    // The station keeps what was applied and answers it on the next load.
    let stored: SlotReport[] = [];
    fake.answers['serial.getSlots'] = () => stored;
    fake.answers['serial.setSlots'] = (req) => {
      stored = (req as SetSlotsRequest).slots.map((binding) => ({
        binding,
        path: null,
        problem: 'not plugged in',
      }));
      return stored;
    };
    render(<PortsSection />);
    await waitFor(() => expect(fake.calls.map((c) => c.operation)).toContain('serial.getSlots'));
    await user.click(screen.getByRole('button', { name: 'Add slot' }));
    await user.selectOptions(screen.getByLabelText('Bound by'), 'path');
    await user.click(screen.getByLabelText('Slot 1 match'));
    await user.paste('/tmp/fixture-slot-1');
    await user.click(screen.getByRole('button', { name: 'Add slot' }));
    await user.click(screen.getByLabelText('Slot 2 match'));
    await user.paste('1-1.4');
    expect(screen.getByTestId('slot-2-state').textContent).toBe('not saved');
    await user.click(screen.getByRole('button', { name: 'Apply slots' }));
    await waitFor(() => expect(fake.calls.some((c) => c.operation === 'serial.setSlots')).toBe(true));
    // Applied and reloaded: nothing is left unsaved, and each slot says what it resolves to.
    await waitFor(() => expect(screen.getByTestId('slot-2-state').textContent).toBe('not plugged in'));
    expect(screen.queryByRole('status')).toBeNull();
    expect(fake.calls.find((c) => c.operation === 'serial.setSlots')?.request).toEqual({
      slots: [
        { slot: 1, match: { kind: 'path', path: '/tmp/fixture-slot-1' } },
        { slot: 2, match: { kind: 'location', location: '1-1.4' } },
      ],
    });
  });

  it('shows the saved bindings and what each resolves to, and a refused apply says why next to the form', async () => {
    const user = userEvent.setup();
    const saved: SlotReport[] = [
      {
        binding: { slot: 1, match: { kind: 'path', path: '/dev/ttyUSB3' } },
        path: '/dev/ttyUSB3',
        problem: null,
      },
      {
        binding: { slot: 2, match: { kind: 'usb', vendorId: '10c4', productId: 'ea60' } },
        path: null,
        problem: 'no port with USB 10c4:ea60 is plugged in',
      },
    ];
    fake.answers['serial.getSlots'] = () => saved;
    fake.answers['serial.setSlots'] = () => {
      throw fake.failure(
        'validation',
        'Slot 1 and slot 2 are bound to the same port: bind each slot to its own port.',
      );
    };
    render(<PortsSection />);
    expect(await screen.findByDisplayValue('/dev/ttyUSB3')).toBeTruthy();
    expect(screen.getByDisplayValue('10c4:ea60:')).toBeTruthy();
    expect(screen.getByTestId('slot-1-state').textContent).toBe('/dev/ttyUSB3');
    expect(screen.getByTestId('slot-2-state').textContent).toBe('no port with USB 10c4:ea60 is plugged in');
    await user.click(screen.getAllByRole('button', { name: 'Remove' })[1]!);
    expect(rows()).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Apply slots' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Slot 1 and slot 2 are bound to the same port: bind each slot to its own port.',
    );
    // A refused apply keeps what the engineer typed on the screen.
    expect(rows()).toHaveLength(1);
  });

  it('keeps a slot added while the saved slots are still loading, when the load answers later', async () => {
    const user = userEvent.setup();
    const slots = deferred<SlotReport[]>();
    fake.answers['serial.getSlots'] = () => slots.promise;
    render(<PortsSection />);
    await user.click(screen.getByRole('button', { name: 'Add slot' }));
    await user.type(screen.getByLabelText('Slot 1 match'), '1-1.2');
    expect(screen.queryByRole('status')).toBeNull();
    slots.resolve([
      {
        binding: { slot: 1, match: { kind: 'path', path: '/dev/ttyUSB3' } },
        path: '/dev/ttyUSB3',
        problem: null,
      },
    ]);
    // The saved binding arrived: the typed row stays, and the screen says Apply would replace it.
    expect((await screen.findByRole('status')).textContent).toContain(
      'Not applied yet: Apply slots saves these rows in place of the saved ones.',
    );
    expect(rows()).toHaveLength(1);
    expect(screen.getByDisplayValue('1-1.2')).toBeTruthy();
    expect(screen.queryByDisplayValue('/dev/ttyUSB3')).toBeNull();
    // Discard shows the saved bindings again.
    await user.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(screen.getByDisplayValue('/dev/ttyUSB3')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('keeps a click on "Add slot" that lands after the loaded slots are drawn but before the screen settles', async () => {
    // On a loaded machine the browser handles a click between React drawing an answer and running
    // the effects of that render. An effect that copies the loaded slots into the form then
    // overwrote the row the click had just added (the e2e "fixture slots are bound…" flake).
    const slots = deferred<SlotReport[]>();
    fake.answers['serial.getSlots'] = () => slots.promise;
    let clickOnNextCommit = false;
    let clicked = false;
    const onRender = () => {
      if (!clickOnNextCommit) return;
      clickOnNextCommit = false;
      clicked = true;
      screen.getByRole('button', { name: 'Add slot' }).click();
    };
    const Probe = ({ children }: { children: ReactNode }) => (
      <Profiler id="ports" onRender={onRender}>
        {children}
      </Profiler>
    );
    render(
      <Probe>
        <PortsSection />
      </Probe>,
    );
    await waitFor(() => expect(fake.calls.map((c) => c.operation)).toContain('serial.getSlots'));
    clickOnNextCommit = true;
    slots.resolve([]);
    await waitFor(() => expect(clicked).toBe(true));
    // With the bug, the effect's copy of the loaded slots landed in the same render as the click:
    // the row never appeared.
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByTestId('slot-1-state').textContent).toBe('not saved');
  });
});
