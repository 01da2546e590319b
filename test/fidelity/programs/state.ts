import { Seconds, type State, StateSpec, type Time } from '../../../lib';
import type { Twin } from '../twinKit';

type P<K, V> = [K, V];
const runningSum = (vs: number[], s: number | undefined): number => vs.reduce((a, b) => a + b, 0) + (s ?? 0);

export const twins: Record<string, Twin> = {
  update_state_running_count: (c) => c.out(c.stream<P<number, number>>().updateStateByKey(runningSum)),
  update_state_removal: (c) =>
    c.out(
      c.stream<P<number, number>>().updateStateByKey((vs: number[], s: number | undefined) => {
        const total = runningSum(vs, s);
        return total > 3 ? undefined : total;
      }),
    ),
  update_state_initial_rdd: (c) => c.out(c.stream<P<number, number>>(0).updateStateByKey(runningSum, undefined, c.rdds<P<number, number>>(1)[0])),
  update_state_strings: (c) => c.out(c.stream<P<number, string>>().updateStateByKey((vs: string[], s: string | undefined) => (s ?? '') + vs.join(''))),
  update_state_iterator: (c) =>
    c.out(
      c.stream<P<number, number>>().updateStateByKey(
        (it: Iterable<[number, number[], number | undefined]>) => {
          const out: P<number, number>[] = [];
          for (const [k, vs, s] of it) {
            const n = runningSum(vs, s);
            if (n <= 3) out.push([k, n]);
          }
          return out;
        },
        2,
        true,
      ),
    ),
  update_state_time: (c) =>
    c.out(
      c
        .stream<P<number, number>>()
        .updateStateByKey(
          (t: Time, k: number, vs: number[], s: number | undefined) => runningSum(vs, s) + (k === 0 ? t.milliseconds / 1000 : 0),
          2,
          true,
        ),
    ),
  update_state_words: (c) =>
    c.out(
      c
        .stream<string>()
        .flatMap((l) => l.split(' '))
        .map((w) => [w, 1] as P<string, number>)
        .updateStateByKey(runningSum),
    ),
  map_with_state_running: (c) =>
    c.out(
      c.stream<P<number, number>>().mapWithState(
        StateSpec.function((k: number, v: number | undefined, s: State<number>) => {
          const n = (s.getOption() ?? 0) + (v ?? 0);
          s.update(n);
          return [k, n];
        }),
      ),
    ),
  map_with_state_snapshots: (c) =>
    c.out(
      c
        .stream<P<number, number>>()
        .mapWithState(
          StateSpec.function((k: number, v: number | undefined, s: State<number>) => {
            s.update((s.getOption() ?? 0) + (v ?? 0));
            return k;
          }),
        )
        .stateSnapshots(),
    ),
  map_with_state_initial: (c) =>
    c.out(
      c.stream<P<number, number>>(0).mapWithState(
        StateSpec.function((k: number, v: number | undefined, s: State<number>) => {
          const n = (s.getOption() ?? 0) + (v ?? 0);
          s.update(n);
          return [k, n];
        }).initialState(c.rdds<P<number, number>>(1)[0]),
      ),
    ),
  map_with_state_remove: (c) =>
    c.out(
      c.stream<P<number, number>>().mapWithState(
        StateSpec.function((k: number, v: number | undefined, s: State<number>) => {
          const n = (s.getOption() ?? 0) + (v ?? 0);
          if (n > 3) s.remove();
          else s.update(n);
          return [k, n, s.exists()];
        }),
      ),
    ),
  map_with_state_timeout: (c) =>
    c.out(
      c.stream<P<number, number>>().mapWithState(
        StateSpec.function((k: number, v: number | undefined, s: State<number>) => {
          if (s.isTimingOut()) return [k, 'timed out', s.get()];
          s.update((s.getOption() ?? 0) + (v ?? 0));
          return [k, 'now', s.get()];
        }).timeout(Seconds(2)),
      ),
    ),
  map_with_state_time: (c) =>
    c.out(
      c.stream<P<number, number>>().mapWithState(
        StateSpec.function((t: Time, k: number, v: number | undefined, s: State<number>) => {
          s.update(v ?? 0);
          return k === 0 ? [t.milliseconds, k, v ?? 0] : undefined;
        }),
      ),
    ),
};
