// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { downloadName, errorMessageOf } from './download';

describe('downloadName', () => {
  it('prefers filename* and decodes it', () => {
    expect(downloadName(`attachment; filename="a.html"; filename*=utf-8''n%C3%BC%20b.html`, 'x')).toBe('nü b.html');
  });
  it('reads a plain filename and drops folders', () => {
    expect(downloadName('attachment; filename="../a/b.py"', 'x')).toBe('b.py');
  });
  it('falls back without a header', () => {
    expect(downloadName(null, 'nb.md')).toBe('nb.md');
  });
});

describe('errorMessageOf', () => {
  it('reads JSON messages and HTML error pages', () => {
    expect(errorMessageOf('{"message": "nope"}', 500)).toBe('nope');
    expect(errorMessageOf('<html><body><div class="error"><h1>500 : Internal Server Error</h1><p>nbconvert failed: xelatex not found</p></div></body></html>', 500)).toContain(
      'nbconvert failed: xelatex not found'
    );
    expect(errorMessageOf('', 502)).toBe('the server answered 502');
  });
});
