import type { PageConfig } from '../core/pageconfig';

/** Where the hub commands go, for a page served by JupyterHub's single-user server. */
export interface HubUrls {
  /** The hub's home page (start/stop servers, token, admin): `<hubHost><hubPrefix>home`. */
  controlPanel: string;
  /** Log out of this server and of the hub: `<baseUrl>logout` (the single-user server forwards to the hub's logout). */
  logout: string;
  /** Start this server again from the hub: `<hubHost><hubPrefix>spawn/<user>[/<server name>]`. */
  restart: string;
}

/**
 * The hub's URLs from the page config, or null when the page is not served by a hub
 * (no `hubPrefix`/`hubUser`). User and server names are URL-escaped, as the hub
 * expects for names such as `ana+b`, `a@b.c` or non-ASCII ones (tornado decodes path
 * arguments without turning `+` into a space).
 */
export function hubUrls(
  config: Pick<PageConfig, 'baseUrl' | 'hubPrefix' | 'hubHost' | 'hubUser' | 'hubServerUser' | 'hubServerName'>
): HubUrls | null {
  const { hubPrefix } = config;
  // The server's owner (an admin may be visiting another user's server).
  const hubUser = config.hubServerUser || config.hubUser;
  if (!hubPrefix || !hubUser) return null;
  const host = (config.hubHost ?? '').replace(/\/+$/, '');
  const prefix = hubPrefix.endsWith('/') ? hubPrefix : `${hubPrefix}/`;
  const server = config.hubServerName ? `/${encodeURIComponent(config.hubServerName)}` : '';
  return {
    controlPanel: `${host}${prefix}home`,
    logout: `${host}${config.baseUrl}logout`,
    restart: `${host}${prefix}spawn/${encodeURIComponent(hubUser)}${server}`
  };
}
