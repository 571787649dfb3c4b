import { KernelSources } from './sources';
import { definePlugin, KERNEL } from '../tokens';

/**
 * Provides {@link KernelSources}: consoles (and any later feature with a kernel)
 * add their sessions there, and features that must see every kernel (widgets)
 * listen to it.
 */
export const kernelPlugin = definePlugin({
  id: KERNEL,
  description: 'The kernel connections opened by notebooks, consoles and other features.',
  activate() {
    return new KernelSources();
  }
});
