// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { jsonTree } from './json-tree';

describe('jsonTree', () => {
  it('shows the top level expanded and deeper levels collapsed until opened', () => {
    const tree = jsonTree({ a: 1, b: { c: [true, null, 'x'] } });
    const root = tree.querySelector('details')!;
    expect(root.open).toBe(true);
    expect(tree.textContent).toContain('a: 1');
    const inner = root.querySelector('details')!;
    expect(inner.open).toBe(false);
    expect(inner.textContent).toBe('b: Object {1}');
    inner.open = true;
    inner.dispatchEvent(new Event('toggle'));
    expect(inner.textContent).toContain('Array(3)');
  });

  it('shows values as JSON text, never as markup', () => {
    const tree = jsonTree({ html: '<img src=x onerror=alert(1)>' });
    expect(tree.querySelector('img')).toBeNull();
    expect(tree.textContent).toContain('"<img src=x onerror=alert(1)>"');
  });
});
