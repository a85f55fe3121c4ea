import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { useScanner } from './useScanner';

function type(text: string, target: Window | Element = window) {
  for (const key of text) fireEvent.keyDown(target, { key });
}

describe('useScanner', () => {
  it('takes a scan typed anywhere on the screen, ending with Enter, without a click into the field', () => {
    const onScan = vi.fn();
    const { result } = renderHook(() => useScanner(onScan));
    act(() => type('SN-1001'));
    expect(result.current.text).toBe('SN-1001');
    act(() => void fireEvent.keyDown(window, { key: 'Enter' }));
    expect(onScan).toHaveBeenCalledExactlyOnceWith('SN-1001');
    expect(result.current.text).toBe('');
  });

  it('leaves typing in another field to that field', () => {
    const onScan = vi.fn();
    function Screen() {
      useScanner(onScan);
      return <input aria-label="note" />;
    }
    render(<Screen />);
    const note = screen.getByLabelText('note');
    type('abc', note);
    fireEvent.keyDown(note, { key: 'Enter' });
    expect(onScan).not.toHaveBeenCalled();
  });

  it('ignores shortcuts, edits with Backspace, clears with Escape, and never sends an empty scan', () => {
    const onScan = vi.fn();
    const { result } = renderHook(() => useScanner(onScan));
    act(() => {
      fireEvent.keyDown(window, { key: 'r', ctrlKey: true });
      type('SN-10011');
      fireEvent.keyDown(window, { key: 'Backspace' });
    });
    expect(result.current.text).toBe('SN-1001');
    act(() => void fireEvent.keyDown(window, { key: 'Escape' }));
    expect(result.current.text).toBe('');
    act(() => void fireEvent.keyDown(window, { key: 'Enter' }));
    expect(onScan).not.toHaveBeenCalled();
  });

  it('submits what was typed into its own field by hand, trimmed', () => {
    const onScan = vi.fn();
    const { result } = renderHook(() => useScanner(onScan));
    act(() => result.current.onChange('  SN-2001 '));
    act(() => result.current.submit());
    expect(onScan).toHaveBeenCalledExactlyOnceWith('SN-2001');
  });
});
