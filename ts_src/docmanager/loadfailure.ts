import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { errorMessage, errorStatus } from '../core/errors';

/** What a document's tab was opening the file as; it decides the words of a failure. */
export type LoadKind = 'notebook' | 'text' | 'file';

/**
 * Why a document could not be read, in words for the person: shown in its tab in place
 * of the content. A failed load never writes the file, so no message offers to.
 */
export interface LoadFailure {
  /** One sentence naming the file and what went wrong. */
  title: string;
  /** The server's or the parser's own words; '' when the title says it all. */
  detail: string;
  /** What the person can do next; '' when there is nothing to add. */
  hint: string;
}

/**
 * Describe why `path` could not be loaded as `kind`. `err` is what the load threw: a
 * `@jupyterlab/services` `ResponseError` (its HTTP status decides: 404 no such file, 403
 * not readable, 400 the host could not read the notebook's JSON or a file's encoding), a
 * `NetworkError`, or a parse error of ours (`NotebookFormatError`).
 */
export function describeLoadFailure(path: string, err: unknown, kind: LoadKind): LoadFailure {
  const status = errorStatus(err);
  const message = errorMessage(err);
  if (status === 404) {
    return {
      title: `"${path}" does not exist.`,
      detail: '',
      hint: 'It may have been moved, renamed or deleted. Close this tab, or open the file from the file browser.'
    };
  }
  if (status === 403) {
    return { title: `"${path}" cannot be read: permission denied.`, detail: message, hint: '' };
  }
  // The host answers 400 "... is not UTF-8 encoded" for a binary file asked for as text.
  if (kind === 'text' && /UTF-8|decode/i.test(message)) {
    return { title: `"${path}" is not a text file (it is not UTF-8 encoded), so it cannot be opened in the editor.`, detail: '', hint: '' };
  }
  if (kind === 'notebook' && (status === null || status === 400) && !isNetworkError(err)) {
    return {
      title: `"${path}" could not be opened as a notebook.`,
      detail: message,
      hint: 'The file was not changed. Fix it in a text editor, then reopen it.'
    };
  }
  return { title: `Cannot open "${path}".`, detail: message, hint: status === null || status >= 500 ? 'Reopen it once the server answers.' : '' };
}

/** No answer from the server at all (`ServerConnection.NetworkError`, a `TypeError` of fetch). */
function isNetworkError(err: unknown): boolean {
  return err instanceof ServerConnection.NetworkError;
}

/**
 * The alert a document's tab shows for `failure`: a `role="alert"` box with the title,
 * then the detail (preformatted: a parser's message can span lines) and the hint when set.
 */
export function loadFailureNode(failure: LoadFailure): HTMLElement {
  const box = document.createElement('div');
  box.className = 'ja-LoadFailure';
  box.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.textContent = failure.title;
  box.appendChild(title);
  if (failure.detail) {
    const detail = document.createElement('pre');
    detail.textContent = failure.detail;
    box.appendChild(detail);
  }
  if (failure.hint) {
    const hint = document.createElement('p');
    hint.textContent = failure.hint;
    box.appendChild(hint);
  }
  return box;
}

/** `failure` in one line, for a notification (a path that names no document yet): title and detail. */
export function loadFailureLine(failure: LoadFailure): string {
  return failure.detail ? `${failure.title} ${failure.detail}` : failure.title;
}
