/** Stylesheets imported for their side effect (extracted by the build). */
declare module '*.css';
