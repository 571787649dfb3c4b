// @vitest-environment jsdom
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { describe, expect, it } from 'vitest';
import { NotebookFormatError } from '../notebook/model/notebook';
import { describeLoadFailure, loadFailureNode } from './loadfailure';

/** The error `@jupyterlab/services` throws for an HTTP error status, as the contents API gives it. */
function refused(status: number, message: string): Error {
  const body = JSON.stringify({ message, reason: null });
  return new ServerConnection.ResponseError(new Response(body, { status }), message);
}

describe('describeLoadFailure', () => {
  it('says a missing file does not exist, and never asks to fix it in an editor', () => {
    for (const kind of ['notebook', 'text', 'file'] as const) {
      const failure = describeLoadFailure('gone.ipynb', refused(404, 'No such file or directory: gone.ipynb'), kind);
      expect(failure.title).toBe('"gone.ipynb" does not exist.');
      expect(failure.hint).toMatch(/moved, renamed or deleted/);
      expect(`${failure.detail} ${failure.hint}`).not.toMatch(/text editor/);
    }
  });

  it('keeps the parser\'s words for a malformed notebook and says the file is unchanged', () => {
    const failure = describeLoadFailure('bad.ipynb', new NotebookFormatError('cells[3] has no "source"'), 'notebook');
    expect(failure.title).toBe('"bad.ipynb" could not be opened as a notebook.');
    expect(failure.detail).toBe('cells[3] has no "source"');
    expect(failure.hint).toMatch(/not changed.*text editor/);
  });

  it('treats the host\'s 400 for unreadable JSON as a malformed notebook', () => {
    const failure = describeLoadFailure('bad.ipynb', refused(400, 'Unreadable Notebook: bad.ipynb'), 'notebook');
    expect(failure.title).toMatch(/could not be opened as a notebook/);
    expect(failure.detail).toMatch(/Unreadable Notebook/);
  });

  it('names a binary file opened as text', () => {
    const failure = describeLoadFailure('blob.bin', refused(400, 'blob.bin is not UTF-8 encoded'), 'text');
    expect(failure).toEqual({
      title: '"blob.bin" is not a text file (it is not UTF-8 encoded), so it cannot be opened in the editor.',
      detail: '',
      hint: ''
    });
  });

  it('tells a refused read and an unreachable server apart from a bad file', () => {
    expect(describeLoadFailure('x.ipynb', refused(403, 'Permission denied: x.ipynb'), 'notebook').title).toBe(
      '"x.ipynb" cannot be read: permission denied.'
    );
    const offline = describeLoadFailure('x.ipynb', new ServerConnection.NetworkError(new TypeError('Failed to fetch')), 'notebook');
    expect(offline.title).toBe('Cannot open "x.ipynb".');
    expect(offline.hint).toMatch(/server answers/);
    expect(offline.hint).not.toMatch(/text editor/);
  });
});

describe('loadFailureNode', () => {
  it('is one alert with only the parts that are set', () => {
    const node = loadFailureNode({ title: 'T.', detail: '', hint: 'H.' });
    expect(node.getAttribute('role')).toBe('alert');
    expect(node.textContent).toBe('T.H.');
    expect(node.querySelector('pre')).toBeNull();
    const full = loadFailureNode({ title: 'T.', detail: 'line 1\nline 2', hint: '' });
    expect(full.querySelector('pre')?.textContent).toBe('line 1\nline 2');
    expect(full.querySelector('p')).toBeNull();
  });
});
