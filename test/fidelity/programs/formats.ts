import type { Twin } from '../twinKit';

export const twins: Record<string, Twin> = {
  floats_repr: (c) => c.out(c.stream()),
  float_arithmetic: (c) => {
    const s = c.stream<number>();
    c.out(s.map((x) => x / 3));
    c.out(s.map((x) => x * 1e-6));
    c.out(s.map(() => 0.1).reduce((a, b) => a + b));
  },
  long_values: (c) => c.out(c.stream<bigint>().map((x) => [x, x * 2n])),
  bigint_values: (c) => c.out(c.stream<bigint>().map((x) => [x, x * x])),
  booleans_none: (c) => c.out(c.stream()),
  tuples_nested: (c) => c.out(c.stream()),
  dicts: (c) => c.out(c.stream()),
  unicode_text: (c) => c.out(c.stream()),
  unicode_escapes: (c) => c.out(c.stream()),
  string_quotes: (c) => c.out(c.stream()),
  control_chars: (c) => c.out(c.stream()),
  lone_surrogates: (c) => c.out(c.stream()),
  top_level_strings: (c) => c.out(c.stream()),
};
