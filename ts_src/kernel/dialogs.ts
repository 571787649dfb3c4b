import { showDialog } from '../dialogs/dialog';
import type { KernelChoice } from './session';

/**
 * Offer `kernels` in a dialog (a `<select>`, `data-testid="kernel-picker"`), with
 * `preferred` selected when it is among them. Resolves with the chosen kernelspec,
 * or null when the person cancels ("No Kernel").
 */
export async function pickKernel(
  kernels: readonly KernelChoice[],
  options: { title?: string; preferred?: string | null; cancelLabel?: string } = {}
): Promise<KernelChoice | null> {
  const select = document.createElement('select');
  select.className = 'ja-KernelPicker';
  select.dataset.testid = 'kernel-picker';
  for (const k of kernels) {
    const option = document.createElement('option');
    option.value = k.name;
    option.textContent = k.display_name;
    select.appendChild(option);
  }
  if (options.preferred && kernels.some((k) => k.name === options.preferred)) select.value = options.preferred;
  const choice = await showDialog({
    title: options.title ?? 'Select Kernel',
    body: select,
    buttons: [
      { id: 'cancel', label: options.cancelLabel ?? 'No Kernel' },
      { id: 'select', label: 'Select', kind: 'accept' }
    ]
  });
  if (choice !== 'select') return null;
  return kernels.find((k) => k.name === select.value) ?? null;
}

/** Ask before a restart (all variables are lost). Resolves true to go ahead. */
export async function confirmRestart(): Promise<boolean> {
  const choice = await showDialog({
    title: 'Restart Kernel?',
    body: 'Do you want to restart the kernel? All variables will be lost.',
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'restart', label: 'Restart', kind: 'warn' }
    ]
  });
  return choice === 'restart';
}
