import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StationSlotReport, StationStateReport } from '../../../../electron/shared/contract';
import { installFakeApi, type FakeApi } from '../../test/fakeApi';
import type { StationScreen as Screen } from './StationScreen';

let fake: FakeApi;
let StationScreen: typeof Screen;
beforeAll(async () => {
  fake = installFakeApi();
  ({ StationScreen } = await import('./StationScreen'));
});

function card(slot: number, patch: Partial<StationSlotReport> = {}): StationSlotReport {
  return {
    slot,
    port: `/dev/ttyUSB${slot - 1}`,
    portState: 'ok',
    portProblem: null,
    status: 'idle',
    claimId: null,
    serial: null,
    orderId: null,
    unitState: null,
    rework: false,
    identity: null,
    heldClaimId: null,
    steps: [],
    failure: null,
    nextAction: 'Scan the next unit.',
    retransmissions: 0,
    warnings: [],
    startedAt: null,
    finishedAt: null,
    ...patch,
  };
}

const running = (slot: number, claimId: string, serial: string) =>
  card(slot, {
    status: 'running',
    claimId,
    serial,
    orderId: 'WO-1',
    nextAction: 'Leave the unit in the slot.',
  });
const passed = (slot: number, claimId: string, finishedAt: string) =>
  card(slot, {
    status: 'pass',
    claimId,
    orderId: 'WO-1',
    unitState: 'verified',
    finishedAt,
    nextAction: 'Unplug and insert the next unit.',
  });

function stationState(slots: StationSlotReport[]): StationStateReport {
  return {
    config: { activeOrderId: 'WO-1', slotCount: slots.length, ports: {} },
    leases: [],
    deviceTransport: true,
    slots,
    interrupted: [],
    failed: [],
    order: { orderId: 'WO-1', good: 0, failed: 0, reserved: 100, total: 100 },
  };
}

/** A barcode scanner: characters typed into the page (no field focused), then Enter. */
function scan(text: string) {
  for (const key of text) fireEvent.keyDown(window, { key });
  fireEvent.keyDown(window, { key: 'Enter' });
}

const scannerLabel = () => screen.getByText(/^Scanner /).textContent ?? '';
const starts = () => fake.calls.filter((c) => c.operation === 'station.startUnit').map((c) => c.request);

/**
 * The station as the screen sees it: its state answers from `slots`, and a start or clear changes
 * the card it answers with, so the screen's reloads (it polls while a slot works) stay true.
 */
let slots: StationSlotReport[] = [];
function station(initial: StationSlotReport[]) {
  slots = initial;
  fake.answers['station.getState'] = () => stationState(slots);
}
function answersWith(operation: 'station.startUnit' | 'station.clearSlot', report: () => StationSlotReport) {
  fake.answers[operation] = () => {
    const r = report();
    slots = slots.map((s) => (s.slot === r.slot ? r : s));
    return r;
  };
}

beforeEach(() => {
  fake.calls.length = 0;
  fake.answers = {};
});

describe('Station screen: which slot a scan goes to', () => {
  it('shows the first free slot as the target and lets the station place the scan, then moves on', async () => {
    station([running(1, 'AAAA-1111', 'SN-0999'), card(2), card(3)]);
    answersWith('station.startUnit', () => running(2, 'BBBB-2222', 'SN-1001'));
    render(<StationScreen />);
    await waitFor(() => expect(scannerLabel()).toContain('→ slot 2'));
    expect(within(screen.getByRole('article', { name: 'Slot 2' })).getByText('next scan')).toBeTruthy();

    scan('SN-1001');
    await waitFor(() => expect(starts()).toHaveLength(1));
    // No slot picked: the request names none, so the station places it (two quick scans never share one).
    expect(starts()[0]).toEqual({ orderId: 'WO-1', serial: 'SN-1001' });
    const slot2 = screen.getByRole('article', { name: 'Slot 2' });
    await waitFor(() => expect(within(slot2).getByText('WORKING')).toBeTruthy());
    expect(within(slot2).getByTestId('slot-2-claim').textContent).toBe('BBBB-2222');
    expect(scannerLabel()).toContain('→ slot 3');
  });

  it('a scan that arrives while the screen is still loading waits for the station, then goes out', async () => {
    let answer: (report: StationStateReport) => void = () => undefined;
    fake.answers['station.getState'] = () => new Promise<StationStateReport>((resolve) => (answer = resolve));
    render(<StationScreen />);
    await waitFor(() => expect(fake.calls.some((c) => c.operation === 'station.getState')).toBe(true));
    scan('SN-2001');
    expect(starts()).toEqual([]);
    station([card(1)]);
    answersWith('station.startUnit', () => running(1, 'DDDD-4444', 'SN-2001'));
    answer(stationState(slots));
    await waitFor(() => expect(starts()).toEqual([{ orderId: 'WO-1', serial: 'SN-2001' }]));
    expect(screen.queryByText(/Set the work order first/)).toBeNull();
  });

  it('with every slot taken says so, and shows the station telling which slot to unplug', async () => {
    station([passed(1, 'AAAA-1111', '2026-12-01T08:00:00.000Z'), running(2, 'BBBB-2222', 'SN-1001')]);
    fake.answers['station.startUnit'] = () => {
      throw fake.failure('busy', 'Every slot has a unit: unplug slot 1 (it passed) and scan again.');
    };
    render(<StationScreen />);
    await waitFor(() => expect(scannerLabel()).toContain('(no free slot)'));
    expect(screen.queryByText('next scan')).toBeNull();

    scan('SN-1002');
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Every slot has a unit: unplug slot 1 (it passed) and scan again.',
    );
    expect(starts()).toEqual([{ orderId: 'WO-1', serial: 'SN-1002' }]);
    // The refused scan changed no card.
    expect(within(screen.getByRole('article', { name: 'Slot 1' })).getByText('PASS')).toBeTruthy();
  });

  it('number keys 1–8 pick the slot the next scan goes to; a running slot or one that is not there is not picked', async () => {
    station([card(1), running(2, 'BBBB-2222', 'SN-1001'), card(3), card(4)]);
    answersWith('station.startUnit', () => running(3, 'CCCC-3333', 'SN-1003'));
    render(<StationScreen />);
    await waitFor(() => expect(scannerLabel()).toContain('→ slot 1'));

    fireEvent.keyDown(window, { key: '3' });
    await waitFor(() => expect(scannerLabel()).toContain('→ slot 3'));
    expect(within(screen.getByRole('article', { name: 'Slot 3' })).getByText('next scan')).toBeTruthy();
    // The digit was a pick, not the start of a scan.
    expect((screen.getByPlaceholderText('Scan a serial number') as HTMLInputElement).value).toBe('');

    // Slot 2 is working and there is no slot 6: the target stays where it was.
    fireEvent.keyDown(window, { key: '2' });
    await waitFor(() =>
      expect(screen.getByPlaceholderText('Scan a serial number')).toHaveProperty('value', ''),
    );
    fireEvent.keyDown(window, { key: '6' });
    await waitFor(() =>
      expect(screen.getByPlaceholderText('Scan a serial number')).toHaveProperty('value', ''),
    );
    expect(scannerLabel()).toContain('→ slot 3');

    scan('SN-1003');
    await waitFor(() => expect(starts()).toHaveLength(1));
    expect(starts()[0]).toEqual({ slot: 3, orderId: 'WO-1', serial: 'SN-1003' });
    // After the start the pick is spent: the next scan goes to the first free slot again.
    await waitFor(() => expect(scannerLabel()).toContain('→ slot 1'));
  });

  it('a passed slot stays taken until Clear, then the next scan goes there', async () => {
    const user = userEvent.setup();
    station([passed(1, 'AAAA-1111', '2026-12-01T08:00:00.000Z'), card(2)]);
    answersWith('station.startUnit', () => running(2, 'BBBB-2222', 'SN-1002'));
    answersWith('station.clearSlot', () => card(1));
    render(<StationScreen />);
    await waitFor(() => expect(scannerLabel()).toContain('→ slot 2'));

    scan('SN-1002');
    await waitFor(() => expect(scannerLabel()).toContain('(no free slot)'));
    // The station repeating slot 1's PASS (a reload, a late event) does not free it.
    fake.emit('stationSlot', passed(1, 'AAAA-1111', '2026-12-01T08:00:00.000Z'));
    expect(scannerLabel()).toContain('(no free slot)');

    await user.click(
      within(screen.getByRole('article', { name: 'Slot 1' })).getByRole('button', { name: 'Clear' }),
    );
    await waitFor(() => expect(fake.calls.some((c) => c.operation === 'station.clearSlot')).toBe(true));
    expect(fake.calls.find((c) => c.operation === 'station.clearSlot')?.request).toEqual({ slot: 1 });
    // The card follows the station's event, as with every slot change.
    fake.emit('stationSlot', card(1));
    await waitFor(() => expect(scannerLabel()).toContain('→ slot 1'));
    expect(within(screen.getByRole('article', { name: 'Slot 1' })).getByText('READY')).toBeTruthy();
  });
});
