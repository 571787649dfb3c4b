/** jlab-alt's version, from py_src/jlab_alt/_version.py. */
export declare const VERSION: string;
