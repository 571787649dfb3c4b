import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer } from './gpu';

describe('isSoftwareRenderer', () => {
  it('recognises software rasterizers', () => {
    for (const name of [
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
      'llvmpipe (LLVM 15.0.7, 256 bits)',
      'Mesa softpipe',
      'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)',
      'Google SwiftShader'
    ])
      expect(isSoftwareRenderer(name), name).toBe(true);
  });

  it('leaves GPUs alone', () => {
    for (const name of [
      'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
      'Apple M2',
      'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
      'AMD Radeon Pro 5500M OpenGL Engine',
      'WebKit WebGL'
    ])
      expect(isSoftwareRenderer(name), name).toBe(false);
  });
});
