// jlab-alt's version, read from the one place it is written (py_src/jlab_alt/_version.py,
// which hatch reads too), for the frontend build and the unit tests.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, '..', 'py_src', 'jlab_alt', '_version.py'), 'utf-8');

/** e.g. "0.1.0" */
export const VERSION = source.match(/^__version__ = "([^"]+)"/m)[1];
