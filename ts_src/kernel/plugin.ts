import type { AppPlugin } from '../core/application';
import { KernelSources } from './sources';

/**
 * Provides {@link KernelSources}: consoles (and any later feature with a kernel)
 * add their sessions there, and features that must see every kernel (widgets)
 * listen to it.
 */
export const kernelPlugin: AppPlugin<KernelSources> = {
  id: '@jlab-alt/kernel:plugin',
  description: 'The kernel connections opened by notebooks, consoles and other features.',
  activate() {
    return new KernelSources();
  }
};
