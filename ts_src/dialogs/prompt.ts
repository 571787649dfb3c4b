import { showDialog } from './dialog';

/**
 * Ask for a line of text; resolves with it (trimmed), or null when cancelled or empty.
 * Enter accepts, Escape cancels.
 */
export async function promptText(title: string, label: string, value = '', accept = 'OK'): Promise<string | null> {
  const body = document.createElement('label');
  body.className = 'ja-Prompt';
  body.textContent = label;
  const input = document.createElement('input');
  input.className = 'ja-Prompt-input';
  input.dataset.testid = 'prompt-input';
  input.value = value;
  input.style.display = 'block';
  input.style.width = '100%';
  input.style.marginTop = '6px';
  body.appendChild(input);
  const choice = await showDialog({
    title,
    body,
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'accept', label: accept, kind: 'accept' }
    ],
    defaultButton: 'accept'
  });
  const text = input.value.trim();
  return choice === 'accept' && text ? text : null;
}
