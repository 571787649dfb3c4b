/** jlab-alt's version, from py_src/jlab_alt/_version.py (webpack's and vitest's `define`). */
declare const __JLAB_ALT_VERSION__: string;

/** Stylesheets imported for their side effect (extracted by the build). */
declare module '*.css';
