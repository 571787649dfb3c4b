/** The status of an `is_complete_request` reply (messaging protocol 5.x "Code completeness"). */
export type CompletenessStatus = 'complete' | 'incomplete' | 'invalid' | 'unknown';

/**
 * What Enter does in a console prompt when the "run on Enter" setting is on: run
 * code the kernel calls complete, and also invalid code (as IPython does, so the
 * SyntaxError shows at once); a new line (with the kernel's `indent`) while the
 * code is incomplete or the kernel cannot tell. Without the setting, Enter always
 * adds a line and Shift+Enter runs.
 */
export function enterAction(status: CompletenessStatus | string, runOnEnter: boolean): 'run' | 'newline' {
  if (!runOnEnter) return 'newline';
  return status === 'complete' || status === 'invalid' ? 'run' : 'newline';
}
