/**
 * What `@jupyterlab/services`' own modules use from its package index (`require("..")` in
 * `lib/contents`, `lib/kernel`, `lib/session`, `lib/terminal`, `lib/config`): only these two.
 * The package is CommonJS, so its index cannot be tree-shaken: it would pull every manager
 * (config, settings, workspaces, nbconvert, users, events, the service manager, statedb)
 * into the first load. webpack.config.js points those `require("..")` here, and the app
 * imports the services' modules by their `lib/...` paths, never the index (~25 KB less).
 */
export { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
export { CommsOverSubshells } from '@jupyterlab/services/lib/kernel/comm';
