import { ManualClock, SystemClock } from '../../lib';

describe('ManualClock', () => {
  test('waitTillTime resolves only when the clock reaches the target', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const p = clock.waitTillTime(1000).then((t) => seen.push(t));
    clock.advance(500);
    await Promise.resolve();
    expect(seen).toEqual([]);
    expect(clock.waiterCount).toBe(1);
    clock.advance(700);
    await p;
    expect(seen).toEqual([1200]);
    clock.setTime(5);
    expect(clock.getTimeMillis()).toBe(5);
    await expect(clock.waitTillTime(0)).resolves.toBe(5);
  });

  test('SystemClock waits until the target', async () => {
    const clock = new SystemClock();
    const target = clock.getTimeMillis() + 5;
    const reached = await clock.waitTillTime(target);
    expect(reached).toBeGreaterThanOrEqual(target);
  });
});

describe('ManualClock abort signals', () => {
  test('a wait that ends normally removes its abort listener; an aborted wait resolves at once', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const origAdd = signal.addEventListener.bind(signal);
    const origRemove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...a: Parameters<typeof origAdd>) => {
      added++;
      return origAdd(...a);
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((...a: Parameters<typeof origRemove>) => {
      removed++;
      return origRemove(...a);
    }) as typeof signal.removeEventListener;
    for (let i = 1; i <= 50; i++) {
      const p = clock.waitTillTime(i * 10, signal);
      clock.advance(10);
      await p;
    }
    expect(added).toBe(50);
    expect(removed).toBe(50);
    const parked = clock.waitTillTime(1_000_000, signal);
    controller.abort();
    await expect(parked).resolves.toBe(500);
    expect(clock.waiterCount).toBe(0);
  });
});
