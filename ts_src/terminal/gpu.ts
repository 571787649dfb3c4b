/**
 * Whether xterm's WebGL renderer is worth using. It draws with the GPU; where the
 * browser's WebGL is a software rasterizer (no GPU, a VM, a remote desktop, headless
 * Chromium with `--disable-gpu`), every frame is drawn on the CPU the terminal's
 * parser needs too, and the DOM renderer is about twice as fast there (measured with
 * `seq 1 300000`: benchmarks/RESULTS.md, issue 13). Only the lazily loaded view uses this.
 */

/**
 * True when `renderer` (WebGL's unmasked renderer string, `WEBGL_debug_renderer_info`)
 * names a software rasterizer: SwiftShader (Chromium), llvmpipe/softpipe (Mesa),
 * Microsoft Basic Render Driver (Windows without a GPU driver).
 */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}

let cached: boolean | null = null;

/**
 * Whether this browser has hardware-accelerated WebGL2: a context can be made and
 * its renderer is not a software one. Asked once per page (a throw-away context,
 * released at once). When the renderer is hidden (privacy settings), assumes
 * hardware, as xterm's own default does.
 */
export function hasHardwareWebGL2(): boolean {
  if (cached !== null) return cached;
  cached = false;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return cached;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    cached = !isSoftwareRenderer(renderer);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    cached = false;
  }
  return cached;
}
