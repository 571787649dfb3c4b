import { describe, expect, it } from 'vitest';
import {
  parseWidgetView,
  referencedModels,
  savedWidgetState,
  stateForModel,
  upgradeSavedModel,
  WIDGET_STATE_MIMETYPE,
  type SavedWidgetState
} from './state';

const model = (name: string, state: Record<string, unknown> = {}) => ({
  model_name: name,
  model_module: '@jupyter-widgets/controls',
  model_module_version: '2.0.0',
  state
});

const SAVED: SavedWidgetState = {
  version_major: 2,
  version_minor: 0,
  state: {
    box: model('HBoxModel', { children: ['IPY_MODEL_a', 'IPY_MODEL_b'], layout: 'IPY_MODEL_boxlayout' }),
    a: model('IntSliderModel', { layout: 'IPY_MODEL_alayout', style: 'IPY_MODEL_astyle' }),
    b: model('LabelModel', { layout: 'IPY_MODEL_alayout', value: 'IPY_MODEL_ is text, not a reference' }),
    alayout: model('LayoutModel'),
    astyle: model('SliderStyleModel'),
    boxlayout: model('LayoutModel'),
    other: model('ButtonModel', { layout: 'IPY_MODEL_otherlayout' }),
    otherlayout: model('LayoutModel'),
    dangling: model('HBoxModel', { children: ['IPY_MODEL_gone'] })
  }
};

describe('parseWidgetView', () => {
  it('reads the model id of a version 2 view', () => {
    expect(parseWidgetView({ model_id: 'abc', version_major: 2, version_minor: 0 })).toEqual({
      model_id: 'abc',
      version_major: 2,
      version_minor: 0
    });
  });

  it('refuses data without a model id, and other protocol versions, with messages for people', () => {
    expect(() => parseWidgetView({ version_major: 2 })).toThrow(/no model_id/);
    expect(() => parseWidgetView(null)).toThrow(/no model_id/);
    expect(() => parseWidgetView({ model_id: 'abc', version_major: 3 })).toThrow(/version 3 is not supported/);
  });
});

describe('savedWidgetState', () => {
  it('finds the state under metadata.widgets by its mime type', () => {
    expect(savedWidgetState({ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } })).toBe(SAVED);
  });

  it('is null without widgets metadata, with another key, a newer major version or no state', () => {
    expect(savedWidgetState({})).toBeNull();
    expect(savedWidgetState(null)).toBeNull();
    expect(savedWidgetState({ widgets: { 'application/other': SAVED } })).toBeNull();
    expect(savedWidgetState({ widgets: { [WIDGET_STATE_MIMETYPE]: { ...SAVED, version_major: 3 } } })).toBeNull();
    expect(savedWidgetState({ widgets: { [WIDGET_STATE_MIMETYPE]: { version_major: 2, version_minor: 0 } } })).toBeNull();
  });
});

describe('stateForModel', () => {
  it('picks the model and every model it refers to, transitively, and nothing else', () => {
    const part = stateForModel(SAVED, 'box')!;
    expect(Object.keys(part.state).sort()).toEqual(['a', 'alayout', 'astyle', 'b', 'box', 'boxlayout']);
    expect(part.version_major).toBe(2);
  });

  it('picks a leaf model alone', () => {
    expect(Object.keys(stateForModel(SAVED, 'otherlayout')!.state)).toEqual(['otherlayout']);
  });

  it('is null for a model the state does not have, and leaves out references to missing models', () => {
    expect(stateForModel(SAVED, 'nope')).toBeNull();
    expect(Object.keys(stateForModel(SAVED, 'dangling')!.state)).toEqual(['dangling']);
  });

  it('finds references nested in lists and objects', () => {
    expect([...referencedModels({ a: [['IPY_MODEL_x'], { y: 'IPY_MODEL_y' }], n: 3 })].sort()).toEqual(['x', 'y']);
  });
});

describe('upgradeSavedModel', () => {
  const v7 = (name: string, state: Record<string, unknown>) => ({ ...model(name, state), model_module_version: '1.5.0' });

  it('turns ipywidgets 7 Accordion/Tab _titles into the titles list of ipywidgets 8', () => {
    const up = upgradeSavedModel(v7('TabModel', { children: ['IPY_MODEL_a', 'IPY_MODEL_b', 'IPY_MODEL_c'], _titles: { '0': 'P0', '2': 'P2' } }));
    expect(up.state.titles).toEqual(['P0', '', 'P2']);
    expect(up.state).not.toHaveProperty('_titles');
  });

  it('renames description_tooltip to tooltip', () => {
    const up = upgradeSavedModel(v7('IntSliderModel', { description_tooltip: 'help' }));
    expect(up.state.tooltip).toBe('help');
    expect(up.state).not.toHaveProperty('description_tooltip');
  });

  it('leaves ipywidgets 8 models and other modules alone', () => {
    const v8 = model('TabModel', { _titles: { '0': 'x' } });
    expect(upgradeSavedModel(v8)).toBe(v8);
    const layout = { ...v7('LayoutModel', {}), model_module: '@jupyter-widgets/base' };
    expect(upgradeSavedModel(layout)).toBe(layout);
  });
});
