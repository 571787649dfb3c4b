import { showDialog } from '../dialogs/dialog';
import { Widget } from '../shell/widget';
import type { DocumentContext } from './context';
import { SaveCancelledError } from './save';

/**
 * Base of editable document widgets (notebooks, text files), after JupyterLab's
 * `DocumentWidget`: a widget with a {@link DocumentContext} whose tab, when closed
 * with unsaved edits, asks Save / Discard / Cancel. The shell only calls
 * {@link requestClose}; it knows nothing about saving.
 */
export class DocumentWidget extends Widget {
  constructor(readonly context: DocumentContext) {
    super(context.widgetId, context.name);
    this.title.caption = context.path;
  }

  /**
   * Ask before closing with unsaved edits: Save (closes once saved), Discard, or
   * Cancel. Resolves whether the tab may close; a failed or cancelled save keeps it
   * (the save's failure is reported through the context's `saveState`).
   */
  override async requestClose(): Promise<boolean> {
    if (!this.context.dirty && !this.title.dirty) return true;
    const saveable = this.context.content !== null && !this.context.content.loadError;
    const choice = await showDialog({
      title: 'Save your work',
      body: `"${this.title.label}" has unsaved changes. Save them before closing?`,
      buttons: [
        { id: 'cancel', label: 'Cancel' },
        { id: 'discard', label: 'Discard', kind: 'warn' },
        ...(saveable ? [{ id: 'save', label: 'Save', kind: 'accept' as const }] : [])
      ],
      defaultButton: saveable ? 'save' : 'cancel'
    });
    if (choice === 'cancel') return false;
    if (choice === 'save') {
      try {
        await this.context.save();
      } catch (err) {
        if (!(err instanceof SaveCancelledError)) console.warn('Save before closing failed:', err);
        return false;
      }
      return !this.context.dirty;
    }
    return true;
  }
}
