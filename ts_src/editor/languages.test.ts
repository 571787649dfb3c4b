import { describe, expect, it } from 'vitest';
import { loadFileLanguage } from './languages';

describe('loadFileLanguage', () => {
  it.each(['analysis.R', 'src/main.jl', 'run.sh', '.bashrc', 'q.sql', 'env.yml', 'Cargo.toml', 'a.cpp', 'lib.rs', 'x.go', 'fix.patch', 'app.ts', 'data.json', 'style.css', 'page.html'])(
    'has highlighting for %s',
    async (path) => {
      expect(await loadFileLanguage(path)).not.toBeNull();
    }
  );

  it.each(['notes.txt', 'data.csv', 'Makefile', 'README'])('leaves %s as plain text', async (path) => {
    expect(await loadFileLanguage(path)).toBeNull();
  });
});
