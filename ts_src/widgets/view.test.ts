// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { DisposableDelegate } from '../core/disposable';
import { RenderMimeRegistry, type OutputDocument } from '../rendermime/registry';
import { WidgetManagers } from './managers';
import { WIDGET_STATE_MIMETYPE } from './state';
import { MODEL_NOT_FOUND, WidgetOutput } from './view';

// Lumino's drag-and-drop module subclasses DragEvent, which jsdom lacks.
vi.hoisted(() => {
  if (!('DragEvent' in globalThis)) (globalThis as Record<string, unknown>).DragEvent = class extends MouseEvent {};
});

/** Saved state as ipywidgets 7 wrote it (controls 1.5.0): an IntSlider with its layout and style. */
const SAVED = {
  version_major: 2,
  version_minor: 0,
  state: {
    slider: {
      model_name: 'IntSliderModel',
      model_module: '@jupyter-widgets/controls',
      model_module_version: '1.5.0',
      state: {
        _view_name: 'IntSliderView',
        _view_module: '@jupyter-widgets/controls',
        _view_module_version: '1.5.0',
        description: 'Test:',
        value: 7,
        min: 0,
        max: 10,
        layout: 'IPY_MODEL_layout',
        style: 'IPY_MODEL_style'
      }
    },
    layout: {
      model_name: 'LayoutModel',
      model_module: '@jupyter-widgets/base',
      model_module_version: '1.2.0',
      state: {}
    },
    style: {
      model_name: 'SliderStyleModel',
      model_module: '@jupyter-widgets/controls',
      model_module_version: '1.5.0',
      state: { description_width: '' }
    },
    leaflet: {
      model_name: 'LeafletMapModel',
      model_module: 'jupyter-leaflet',
      model_module_version: '^0.19',
      state: { _view_name: 'LeafletMapView', _view_module: 'jupyter-leaflet', _view_module_version: '^0.19' }
    },
    html: {
      model_name: 'HTMLModel',
      model_module: '@jupyter-widgets/controls',
      model_module_version: '1.5.0',
      state: {
        _view_name: 'HTMLView',
        _view_module: '@jupyter-widgets/controls',
        _view_module_version: '1.5.0',
        value: 'Hello <b>World</b><img src="x" onerror="window.__pwned = true">',
        layout: 'IPY_MODEL_layout'
      }
    }
  }
};

function doc(metadata: Record<string, unknown>): OutputDocument {
  return {
    path: 'n.ipynb',
    kernel: () => null,
    onKernelChanged: () => new DisposableDelegate(() => undefined),
    metadata: () => metadata
  };
}

function setup(metadata: Record<string, unknown>) {
  const managers = new WidgetManagers(new RenderMimeRegistry());
  const host = document.createElement('div');
  document.body.appendChild(host);
  const document_ = doc(metadata);
  return { managers, host, document_ };
}

describe('WidgetOutput without a kernel', () => {
  it('shows a widget restored from the saved state, marked static', async () => {
    const { managers, host, document_ } = setup({ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } });
    const output = new WidgetOutput(host, 'slider', managers, document_);
    await output.start();
    expect(output.mode).toBe('static');
    expect(host.classList.contains('ja-mod-static')).toBe(true);
    expect(host.querySelector('.widget-slider')).not.toBeNull();
    expect(host.querySelector('.widget-readout')?.textContent).toBe('7');
    expect(host.querySelector('.widget-label')?.textContent).toBe('Test:');
  });

  it('restores only the models the widget needs', async () => {
    const { managers, host, document_ } = setup({ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } });
    await new WidgetOutput(host, 'slider', managers, document_).start();
    const manager = managers.forDocument(document_)!;
    expect(['slider', 'layout', 'style'].every((id) => manager.has_model(id))).toBe(true);
    expect(manager.has_model('html')).toBe(false);
  });

  it('says the model was not found when the saved state lacks it, or there is none', async () => {
    for (const metadata of [{ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } }, {}]) {
      const { managers, host, document_ } = setup(metadata);
      const output = new WidgetOutput(host, 'nowhere', managers, document_);
      await output.start();
      expect(output.mode).toBe('missing');
      expect(host.textContent).toBe(MODEL_NOT_FOUND);
    }
  });

  it('shows an error in place of a widget from a library jlab-alt does not ship, without throwing', async () => {
    const { managers, host, document_ } = setup({ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } });
    const output = new WidgetOutput(host, 'leaflet', managers, document_);
    await output.start();
    expect(host.querySelector('.jupyter-widgets-error-widget')).not.toBeNull();
    // The library's error widget tells why when clicked.
    (host.querySelector('.jupyter-widgets') as HTMLElement).click();
    expect(host.textContent).toContain('Widget module jupyter-leaflet@^0.19 is not available in jlab-alt');
  });

  it('sanitizes HTML widget values from saved state', async () => {
    const { managers, host, document_ } = setup({ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } });
    await new WidgetOutput(host, 'html', managers, document_).start();
    const content = host.querySelector('.widget-html-content')!;
    expect(content.querySelector('b')?.textContent).toBe('World');
    expect(content.querySelector('img')?.hasAttribute('onerror')).toBe(false);
  });

  it('removes its view from the model when disposed, so cleared outputs leave nothing behind', async () => {
    const { managers, host, document_ } = setup({ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } });
    const first = new WidgetOutput(host, 'slider', managers, document_);
    await first.start();
    const second = new WidgetOutput(document.createElement('div'), 'slider', managers, document_);
    await second.start();
    const model = await managers.forDocument(document_)!.get_model('slider');
    expect(Object.keys(model.views ?? {})).toHaveLength(2);
    first.dispose();
    expect(host.querySelector('.widget-slider')).toBeNull();
    // Views leave model.views on their 'remove' event.
    expect(Object.keys(model.views ?? {})).toHaveLength(1);
    second.dispose();
    expect(Object.keys(model.views ?? {})).toHaveLength(0);
  });

  it('shows nothing when disposed before its model was found', async () => {
    const { managers, host, document_ } = setup({ widgets: { [WIDGET_STATE_MIMETYPE]: SAVED } });
    const output = new WidgetOutput(host, 'slider', managers, document_);
    const started = output.start();
    output.dispose();
    await started;
    expect(host.querySelector('.widget-slider')).toBeNull();
    const model = await managers.forDocument(document_)!.get_model('slider');
    expect(Object.keys(model.views ?? {})).toHaveLength(0);
  });
});
