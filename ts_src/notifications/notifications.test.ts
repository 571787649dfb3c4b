// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { MAX_NOTIFICATIONS, NotificationCenter } from './notifications';

describe('NotificationCenter', () => {
  it('keeps only the newest notifications when many are raised', () => {
    const center = new NotificationCenter();
    const total = MAX_NOTIFICATIONS + 50;
    let last = 0;
    for (let i = 0; i < total; i++) last = center.notify(`message ${i}`, { autoClose: 0 });
    expect(center.all).toHaveLength(MAX_NOTIFICATIONS);
    expect(center.all[0]!.message).toBe(`message ${total - MAX_NOTIFICATIONS}`);
    expect(center.all.at(-1)!.id).toBe(last);
  });
});
