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
