import type { SeatStore } from '../store/seat-store.js';

/**
 * The store as the bot and jobs see it, telling the provisioning worker after each commit that queued an intent
 * (the "kick"); the periodic backstop job and the worker's retry timer catch anything a kick missed.
 */
export function kickOnCommit<S extends SeatStore>(store: S, kick: () => void): S {
  const update: SeatStore['update'] = async (fn) => {
    let queued = false;
    const result = await store.update((view) => {
      const m = fn(view);
      queued = m.changes.some((c) => c.type === 'provision.put' && c.intent.status === 'queued');
      return m;
    });
    if (queued) kick();
    return result;
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'update') return update;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
