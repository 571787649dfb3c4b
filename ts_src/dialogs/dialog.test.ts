// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { showDialog } from './dialog';

function press(target: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

const dialogEl = () => document.querySelector<HTMLElement>('[data-testid="dialog"]')!;

function pickerDialog() {
  const select = document.createElement('select');
  for (const name of ['python3', 'bash']) select.appendChild(new Option(name, name));
  const choice = showDialog({
    title: 'Select a kernel',
    body: select,
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'select', label: 'Select', kind: 'accept' }
    ]
  });
  return { select, choice };
}

afterEach(() => document.body.replaceChildren());

describe('showDialog keys', () => {
  it('Enter in a <select> chooses the default button, as a person expects of a picker', async () => {
    const { select, choice } = pickerDialog();
    expect(document.activeElement).toBe(select);
    press(select, 'Enter');
    await expect(choice).resolves.toBe('select');
    expect(dialogEl()).toBeNull();
  });

  it('Enter in a text field chooses the default button; Escape cancels', async () => {
    const input = document.createElement('input');
    const first = showDialog({ title: 'Name', body: input, buttons: [{ id: 'cancel', label: 'Cancel' }, { id: 'ok', label: 'OK' }, { id: 'other', label: 'Other' }], defaultButton: 'ok' });
    press(input, 'Enter');
    await expect(first).resolves.toBe('ok');
    const second = showDialog({ title: 'Name', body: document.createElement('input'), buttons: [{ id: 'ok', label: 'OK' }] });
    press(dialogEl().querySelector('input')!, 'Escape');
    await expect(second).resolves.toBe('cancel');
  });

  it('leaves Enter to a focused button, a textarea, and a handler that took it', async () => {
    const area = document.createElement('textarea');
    const choice = showDialog({ title: 'Note', body: area, buttons: [{ id: 'cancel', label: 'Cancel' }, { id: 'ok', label: 'OK' }] });
    expect(press(area, 'Enter').defaultPrevented).toBe(false);
    const cancel = dialogEl().querySelector<HTMLElement>('[data-id="cancel"]')!;
    expect(press(cancel, 'Enter').defaultPrevented).toBe(false);
    area.addEventListener('keydown', (e) => e.preventDefault());
    press(area, 'Enter');
    expect(dialogEl()).not.toBeNull();
    cancel.click();
    await expect(choice).resolves.toBe('cancel');
  });

  it('Tab and Shift+Tab wrap around the dialog\'s controls', async () => {
    const { select, choice } = pickerDialog();
    const buttons = [...dialogEl().querySelectorAll<HTMLElement>('button')];
    buttons[1]!.focus();
    expect(press(buttons[1]!, 'Tab').defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(select);
    expect(press(select, 'Tab', { shiftKey: true }).defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(buttons[1]);
    // In the middle, Tab is the browser's.
    select.focus();
    expect(press(select, 'Tab').defaultPrevented).toBe(false);
    press(select, 'Escape');
    await expect(choice).resolves.toBe('cancel');
  });
});
