import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Kernel } from '@jupyterlab/services';
import type { OutputAreaModel } from '../outputarea/model';
import { stripAnsi } from '../rendermime/ansi';

/** The kernel to ask right now (it changes on restart or kernel change), or null. */
export type KernelGetter = () => Kernel.IKernelConnection | null;

/**
 * A CodeMirror completion source backed by the kernel's `complete_request`
 * (messaging protocol 5.x "Completion"): the matches replace `cursor_start..cursor_end`.
 * Resolves null without a kernel or matches.
 */
export function completionSource(kernel: KernelGetter): (context: CompletionContext) => Promise<CompletionResult | null> {
  return async (context) => {
    const k = kernel();
    if (!k) return null;
    const code = context.state.doc.toString();
    const reply = await k.requestComplete({ code, cursor_pos: context.pos });
    const content = reply.content as { status: string; matches: string[]; cursor_start: number; cursor_end: number };
    if (content.status !== 'ok' || !content.matches.length) return null;
    return {
      from: content.cursor_start,
      to: content.cursor_end,
      options: content.matches.map((m) => ({ label: m }))
    };
  };
}

/**
 * The kernel's help for the name at `cursor` (`inspect_request`, detail level 0),
 * as plain text (ANSI colours stripped); null without a kernel or when nothing is found.
 */
export async function inspect(kernel: KernelGetter, code: string, cursor: number): Promise<string | null> {
  const k = kernel();
  if (!k) return null;
  const reply = await k.requestInspect({ code, cursor_pos: cursor, detail_level: 0 });
  const content = reply.content as { status: string; found?: boolean; data?: Record<string, unknown> };
  if (content.status !== 'ok' || !content.found) return null;
  const text = String(content.data?.['text/plain'] ?? '');
  return text ? stripAnsi(text) : null;
}

/**
 * The box of an `input()` / `getpass()` prompt (`data-testid="stdin"`), not yet in the
 * page. Enter calls `send(value)`; when it returns true the box is disabled and a
 * password masked, so one answer is sent once (the Jupyter messaging protocol's
 * `input_reply` answers one `input_request`).
 */
export function stdinBox(
  request: { prompt: string; password: boolean },
  send: (value: string) => boolean
): { row: HTMLDivElement; input: HTMLInputElement } {
  const row = document.createElement('div');
  row.className = 'ja-Stdin';
  row.dataset.testid = 'stdin';
  const label = document.createElement('label');
  label.className = 'ja-Stdin-prompt';
  label.textContent = request.prompt;
  const input = document.createElement('input');
  input.className = 'ja-Stdin-input';
  input.type = request.password ? 'password' : 'text';
  input.autocomplete = 'off';
  input.setAttribute('aria-label', request.prompt || 'Input');
  label.appendChild(input);
  row.appendChild(label);
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    if (!send(input.value)) return;
    input.disabled = true;
    if (request.password) input.value = '········';
  });
  return { row, input };
}

/**
 * Show an `input()` / `getpass()` prompt (`data-testid="stdin"`) appended to
 * `host` and resolve with what the person typed when they press Enter. A password
 * is masked after sending. The box goes away when `outputs` is cleared (the code
 * runs again).
 */
export function stdinPrompt(
  host: HTMLElement,
  request: { prompt: string; password: boolean },
  outputs: OutputAreaModel
): Promise<string> {
  return new Promise((resolve) => {
    const { row, input } = stdinBox(request, (value) => {
      resolve(value);
      return true;
    });
    host.appendChild(row);
    const sub = outputs.changed((c) => {
      if (c.type === 'clear') {
        row.remove();
        sub.dispose();
      }
    });
    input.focus();
  });
}
