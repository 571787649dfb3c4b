/**
 * The data formats of Jupyter widgets, read without loading the widget libraries:
 * the `application/vnd.jupyter.widget-view+json` output and the notebook-level
 * `application/vnd.jupyter.widget-state+json` saved state (schemas in
 * @jupyter-widgets/schema: view.v2.schema.json and state.v2.schema.json).
 */

/** The mime type of an output that shows a widget. */
export const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
/** The key of saved widget state in `metadata.widgets` of a notebook. */
export const WIDGET_STATE_MIMETYPE = 'application/vnd.jupyter.widget-state+json';
/** The widget messaging protocol major version this frontend speaks (ipywidgets 7 and 8). */
export const WIDGET_PROTOCOL_MAJOR = 2;

/** A widget-view output: which model to show. */
export interface WidgetViewData {
  model_id: string;
  version_major: number;
  version_minor?: number;
}

/** One saved model: its class and serialized attributes (binary buffers base64-encoded). */
export interface SavedModel {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
  buffers?: { path: (string | number)[]; data: string; encoding: 'base64' | 'hex' }[];
}

/** The saved state of every model of a notebook. */
export interface SavedWidgetState {
  version_major: number;
  version_minor: number;
  state: Record<string, SavedModel>;
}

/**
 * Read a widget-view output's data.
 * @throws Error with a message for people when the data is not a widget view of
 *   a protocol version this frontend can show.
 */
export function parseWidgetView(data: unknown): WidgetViewData {
  const view = data as Partial<WidgetViewData> | null;
  if (!view || typeof view !== 'object' || typeof view.model_id !== 'string') {
    throw new Error('Not a widget view: no model_id');
  }
  if (typeof view.version_major === 'number' && view.version_major !== WIDGET_PROTOCOL_MAJOR) {
    throw new Error(
      `Widget protocol version ${view.version_major} is not supported (this frontend speaks version ${WIDGET_PROTOCOL_MAJOR}, ipywidgets 7 and 8)`
    );
  }
  return { model_id: view.model_id, version_major: view.version_major ?? WIDGET_PROTOCOL_MAJOR, version_minor: view.version_minor };
}

/**
 * The saved widget state in a notebook's metadata
 * (`metadata.widgets["application/vnd.jupyter.widget-state+json"]`), or null when
 * there is none or it is not a state this frontend can read (major version 2 or
 * earlier with a `state` object, as ManagerBase.set_state accepts).
 */
export function savedWidgetState(metadata: Readonly<Record<string, unknown>> | null | undefined): SavedWidgetState | null {
  const widgets = metadata?.widgets as Record<string, unknown> | undefined;
  const saved = widgets?.[WIDGET_STATE_MIMETYPE] as Partial<SavedWidgetState> | undefined;
  if (!saved || typeof saved !== 'object') return null;
  if (typeof saved.version_major !== 'number' || saved.version_major > WIDGET_PROTOCOL_MAJOR) return null;
  if (!saved.state || typeof saved.state !== 'object') return null;
  return saved as SavedWidgetState;
}

/** The ids of the models a model's state refers to (`"IPY_MODEL_<id>"` strings, nested anywhere). */
export function referencedModels(state: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof state === 'string') {
    if (state.startsWith('IPY_MODEL_')) out.add(state.slice('IPY_MODEL_'.length));
  } else if (Array.isArray(state)) {
    for (const item of state) referencedModels(item, out);
  } else if (state && typeof state === 'object') {
    for (const value of Object.values(state)) referencedModels(value, out);
  }
  return out;
}

/**
 * The part of `saved` that model `modelId` needs: the model and, transitively,
 * every model it refers to (its layout, style, children...). Restoring only these
 * keeps a notebook with hundreds of saved models quick to show one widget.
 * Returns null when `modelId` is not in the saved state. References to models
 * missing from the state are left out (the widget library reports them).
 */
export function stateForModel(saved: SavedWidgetState, modelId: string): SavedWidgetState | null {
  if (!Object.hasOwn(saved.state, modelId)) return null;
  const picked: Record<string, SavedModel> = {};
  const pending = [modelId];
  while (pending.length) {
    const id = pending.pop()!;
    if (Object.hasOwn(picked, id) || !Object.hasOwn(saved.state, id)) continue;
    picked[id] = saved.state[id];
    for (const ref of referencedModels(saved.state[id].state)) pending.push(ref);
  }
  return { version_major: saved.version_major, version_minor: saved.version_minor, state: picked };
}

/**
 * Read a model saved by ipywidgets 7 (controls 1.x) as the ipywidgets 8 classes
 * expect it; other models are returned unchanged. ipywidgets 8 renamed
 * `description_tooltip` to `tooltip` and replaced the selection containers'
 * (Accordion, Tab) `_titles` dict `{"0": "title"}` by a `titles` list.
 */
export function upgradeSavedModel(model: SavedModel): SavedModel {
  if (model.model_module !== '@jupyter-widgets/controls' || !/^1\./.test(model.model_module_version)) return model;
  const state = { ...model.state };
  if ('description_tooltip' in state) {
    if (state.tooltip === undefined || state.tooltip === null) state.tooltip = state.description_tooltip;
    delete state.description_tooltip;
  }
  const titles = state._titles;
  if (titles && typeof titles === 'object' && !Array.isArray(titles)) {
    const count = Array.isArray(state.children) ? state.children.length : 0;
    const list: string[] = [];
    for (let i = 0; i < count; i++) {
      const title = (titles as Record<string, unknown>)[String(i)];
      list.push(typeof title === 'string' ? title : '');
    }
    state.titles = list;
    delete state._titles;
  }
  return { ...model, state };
}
