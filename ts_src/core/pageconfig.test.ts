// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { PAGE_CONFIG_ID, PageConfig, readPageConfig } from './pageconfig';

const config: PageConfig = {
  appName: 'jlab-alt',
  appVersion: '0.1.0',
  baseUrl: '/user/ada/',
  appUrl: '/user/ada/jlab-alt',
  apiUrl: '/user/ada/jlab-alt/api',
  staticUrl: '/user/ada/static/jlab_alt/',
  treePath: 'notebooks/analysis.ipynb'
};

function docWith(scriptText: string | null): Document {
  const doc = document.implementation.createHTMLDocument('test');
  if (scriptText !== null) {
    const script = doc.createElement('script');
    script.id = PAGE_CONFIG_ID;
    script.type = 'application/json';
    script.textContent = scriptText;
    doc.head.appendChild(script);
  }
  return doc;
}

describe('readPageConfig', () => {
  afterEach(() => {
    document.getElementById(PAGE_CONFIG_ID)?.remove();
  });

  it('uses the element id that jupyter_server and @jupyterlab/services use', () => {
    expect(PAGE_CONFIG_ID).toBe('jupyter-config-data');
  });

  it('reads the config the server embedded in the page', () => {
    expect(readPageConfig(docWith(JSON.stringify(config)))).toEqual(config);
  });

  it('reads from the current document by default', () => {
    const script = document.createElement('script');
    script.id = PAGE_CONFIG_ID;
    script.type = 'application/json';
    script.textContent = JSON.stringify({ ...config, treePath: '' });
    document.head.appendChild(script);
    expect(readPageConfig()).toMatchObject({ baseUrl: '/user/ada/', treePath: '' });
  });

  it('fails with a clear message when the page has no config element', () => {
    expect(() => readPageConfig(docWith(null))).toThrow(/jupyter-config-data/);
  });

  it('fails when the config element is empty', () => {
    expect(() => readPageConfig(docWith(''))).toThrow(/jupyter-config-data/);
  });

  it('fails when the config lacks baseUrl', () => {
    const { baseUrl: _omitted, ...rest } = config;
    expect(() => readPageConfig(docWith(JSON.stringify(rest)))).toThrow(/baseUrl/);
  });

  it('fails when the config is not JSON', () => {
    expect(() => readPageConfig(docWith('{not json'))).toThrow(SyntaxError);
  });
});
