import { StreamLanguage, type StreamParser } from '@codemirror/language';
import type { Extension } from '@codemirror/state';

type Mode = () => Promise<StreamParser<unknown>>;

// Each mode is its own small module of @codemirror/legacy-modes, fetched with the first file needing it.
const r: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/r').then((m) => m.r);
const julia: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/julia').then((m) => m.julia);
const shell: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/shell').then((m) => m.shell);
const sql: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/sql').then((m) => m.standardSQL);
const yaml: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/yaml').then((m) => m.yaml);
const toml: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/toml').then((m) => m.toml);
const clike = (name: 'c' | 'cpp' | 'java'): Mode => () =>
  import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/clike').then((m) => m[name]);
const rust: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/rust').then((m) => m.rust);
const go: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/go').then((m) => m.go);
const diff: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/diff').then((m) => m.diff);
const js = (name: 'javascript' | 'typescript' | 'json'): Mode => () =>
  import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/javascript').then((m) => m[name]);
const css: Mode = () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/css').then((m) => m.css);
const xml = (name: 'html' | 'xml'): Mode => () =>
  import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/xml').then((m) => m[name]);

/** File extensions (lower case, without the dot) with a highlighting mode. */
const BY_EXTENSION: Record<string, Mode> = {
  r,
  jl: julia,
  sh: shell,
  bash: shell,
  zsh: shell,
  sql,
  yaml,
  yml: yaml,
  toml,
  c: clike('c'),
  h: clike('c'),
  cpp: clike('cpp'),
  cc: clike('cpp'),
  hpp: clike('cpp'),
  java: clike('java'),
  rs: rust,
  go,
  diff,
  patch: diff,
  js: js('javascript'),
  mjs: js('javascript'),
  ts: js('typescript'),
  json: js('json'),
  ipynb: js('json'),
  css,
  html: xml('html'),
  htm: xml('html'),
  xml: xml('xml'),
  svg: xml('xml')
};

/**
 * Highlighting for a text file that is neither Python nor Markdown (those have full
 * language packages), from its extension: R, Julia, shell, SQL, YAML, TOML, C-like,
 * Rust, Go, diff, JavaScript/TypeScript/JSON, CSS, HTML/XML. Resolves null for
 * other files (plain text). Shell scripts are also recognised by name (`.bashrc`).
 */
export async function loadFileLanguage(path: string): Promise<Extension | null> {
  const name = path.split('/').pop()!.toLowerCase();
  const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
  const mode = BY_EXTENSION[ext] ?? (/^\.(bashrc|profile|zshrc)$/.test(name) ? shell : undefined);
  if (!mode) return null;
  return StreamLanguage.define(await mode());
}
