import { describe, expect, it } from 'vitest';
import { LAUNCHES_CHANGED, type PushedChanges, type RecorderHealth } from '../../utils/messages/launches';
import { subscribeToLaunches } from '../../utils/messages/subscribe';

/** A runtime whose onMessage the test drives, as Chromium delivers the background's notices. */
function runtime() {
  const listeners = new Set<(message: unknown, sender: { id?: string }) => undefined>();
  return {
    id: 'ours',
    onMessage: {
      addListener: (l: (message: unknown, sender: { id?: string }) => undefined) => listeners.add(l),
      removeListener: (l: (message: unknown, sender: { id?: string }) => undefined) => listeners.delete(l),
    },
    deliver(message: unknown, id = 'ours') {
      for (const l of listeners) l(message, { id });
    },
    listeners,
  };
}

const changes: PushedChanges = { epoch: 'w', from: 2, version: 3, full: false, upserted: [], removed: ['x'] };

describe('change notices heard by a page', () => {
  it('hands over the health and the changes a notice carries, from this extension only', () => {
    const rt = runtime();
    const heard: [RecorderHealth, PushedChanges | undefined][] = [];
    const stop = subscribeToLaunches(rt, (health, c) => heard.push([health, c]));
    rt.deliver({ type: LAUNCHES_CHANGED, health: {}, changes });
    rt.deliver({ type: LAUNCHES_CHANGED, health: {} });
    rt.deliver({ type: LAUNCHES_CHANGED, health: {}, changes }, 'another-extension');
    rt.deliver({ type: 'launches/changes', health: {} });
    expect(heard).toEqual([
      [{}, changes],
      [{}, undefined],
    ]);
    stop();
    expect(rt.listeners.size).toBe(0);
  });

  it.each([
    ['no version', { ...changes, version: undefined }],
    ['no start', { ...changes, from: 'two' }],
    ['no epoch', { ...changes, epoch: 4 }],
    ['a list that is no list', { ...changes, upserted: 'all' }],
    ['an order that is no list', { ...changes, order: 'a,b' }],
    ['nothing', null],
  ])('takes changes with %s as a plain notice (the page reads instead)', (_, malformed) => {
    const rt = runtime();
    const heard: (PushedChanges | undefined)[] = [];
    subscribeToLaunches(rt, (_health, c) => heard.push(c));
    rt.deliver({ type: LAUNCHES_CHANGED, health: {}, changes: malformed });
    expect(heard).toEqual([undefined]);
  });
});
