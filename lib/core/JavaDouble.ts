/**
 * Java's `Double.toString(d)` as JDK 17 computes it, the JDK that Spark 3.5 runs on: `1.0E-5`, `1.23456789E7`,
 * `0.001`, `100.0`. Scala's `print()` of a Double shows this text.
 *
 * The layout is the `Double.toString` spec's: plain decimal with at least one digit after the point when
 * 1e-3 <= |d| < 1e7, else "computerized scientific notation" (`d.dddE[-]n`, at least one fractional digit).
 * The digits are JDK 17's `jdk.internal.math.FloatingDecimal.BinaryToASCIIBuffer.dtoa`, ported here, and not the
 * shortest ones that JDK 19 and later print (JDK-4511638, Raffaello Giulietti's Ryu-like `DoubleToDecimal`): JDK 17
 * prints `2.82879384806159008E17` (an integer-valued double below 2^63: every digit of the long, less the
 * "insignificant" ones), `9.999999999999999E22` for 1e23 and `4.9E-324` for the smallest subnormal, where JDK 19
 * prints `2.82879384806159E17`, `1.0E23` and `4.9E-324`. The port keeps Java's int and long arithmetic where the
 * original uses it (the overflow test of the long path is part of the result) and exact BigInt arithmetic where
 * the original uses FDBigInteger.
 *
 * That port costs tens of microseconds a call (BigInt arithmetic), too much for `saveAsTextFiles` of every element,
 * so only the doubles where JDK 17 departs from the shortest digits take it: integers from 2^53 (the long path and
 * the big integers), exact powers of two (FloatingDecimal's symmetric stopping test is conservative below a power
 * of two: 2^-1016 prints `7.1202363472230444E-307`, not `7.120236347223045E-307`) and subnormals. Every other
 * double prints JavaScript's shortest digits, which are JDK 17's: 0 differences between the two on 1.1 million
 * random doubles of those kinds (test/fidelity/formats.test.ts keeps checking a seeded sample).
 */

const EXP_SHIFT = 52;
const FRACT_HOB = 1n << 52n;
const SIGNIF_MASK = FRACT_HOB - 1n;
const EXP_BIAS = 1023;
const MAX_SMALL_BIN_EXP = 62;
const MIN_SMALL_BIN_EXP = -21;

/** ceil(log2(5^i)), approximately (FloatingDecimal's N_5_BITS). */
const N_5_BITS = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61];
/** insignificantDigitsForPow2(p2) = digits of 2^p2 less one (FloatingDecimal's insignificantDigitsNumber). */
const INSIGNIFICANT_DIGITS = [
  0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11, 11, 11, 12, 12,
  12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19,
];

const view = new DataView(new ArrayBuffer(8));
const POW5: bigint[] = [1n];

/** 5^n, memoised (FloatingDecimal's LONG_5_POW and FDBigInteger.valueOfPow52). */
function pow5(n: number): bigint {
  for (let i = POW5.length; i <= n; i++) POW5.push(POW5[i - 1] * 5n);
  return POW5[n];
}

interface Decimal {
  digits: number[];
  /** The value is 0.d1d2... x 10^decExponent. */
  decExponent: number;
}

/** `Double.toString(d)` of JDK 17. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  view.setFloat64(0, d);
  const hi = view.getUint32(0);
  const exponentBits = (hi >>> 20) & 0x7ff;
  const powerOfTwo = (hi & 0xfffff) === 0 && view.getUint32(4) === 0;
  if (exponentBits !== 0 && !powerOfTwo && !(Math.abs(d) >= 2 ** 53 && Number.isInteger(d))) return layout(d < 0, shortestDigits(d));
  return javaDoubleToStringExact(d);
}

/** JavaScript's shortest round-tripping digits of d, as a Decimal. */
function shortestDigits(d: number): Decimal {
  const [mantissa, e] = Math.abs(d).toExponential().split('e');
  const digits: number[] = [];
  for (let i = 0; i < mantissa.length; i++) if (mantissa[i] !== '.') digits.push(mantissa.charCodeAt(i) - 48);
  return { digits, decExponent: Number(e) + 1 };
}

/** `Double.toString(d)` of JDK 17 by the port of FloatingDecimal, for every finite double. */
export function javaDoubleToStringExact(d: number): string {
  if (!Number.isFinite(d)) return javaDoubleToString(d);
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n !== 0n;
  let fractBits = bits & SIGNIF_MASK;
  let binExp = Number((bits >> 52n) & 0x7ffn);
  if (binExp === 0 && fractBits === 0n) return negative ? '-0.0' : '0.0';
  let nSignificantBits: number;
  if (binExp === 0) {
    // A subnormal: normalise so the high-order bit is where the hidden bit would be.
    const leadingZeros = 64 - fractBits.toString(2).length;
    const shift = leadingZeros - (63 - EXP_SHIFT);
    fractBits <<= BigInt(shift);
    binExp = 1 - shift;
    nSignificantBits = 64 - leadingZeros;
  } else {
    fractBits |= FRACT_HOB;
    nSignificantBits = EXP_SHIFT + 1;
  }
  return layout(negative, dtoa(binExp - EXP_BIAS, fractBits, nSignificantBits));
}

function trailingZeros(x: bigint): number {
  let n = 0;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

function dtoa(binExp: number, fractBits: bigint, nSignificantBits: number): Decimal {
  const tailZeros = trailingZeros(fractBits);
  const nFractBits = EXP_SHIFT + 1 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  if (binExp <= MAX_SMALL_BIN_EXP && binExp >= MIN_SMALL_BIN_EXP && nTinyBits === 0) {
    // An integer that fits a long (the (nFractBits + N_5_BITS[0]) < 64 test always holds here).
    const insignificant = binExp > nSignificantBits ? insignificantDigitsForPow2(binExp - nSignificantBits - 1) : 0;
    const lvalue = binExp >= EXP_SHIFT ? fractBits << BigInt(binExp - EXP_SHIFT) : fractBits >> BigInt(EXP_SHIFT - binExp);
    return developLongDigits(lvalue, insignificant);
  }
  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;
  const fract = fractBits >> BigInt(tailZeros);
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  // FloatingDecimal's "HACK" for exact powers of two: the next smaller double is half as far away.
  if (nFractBits === 1) M2 -= 1;
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }
  const Bbits = nFractBits + B2 + (B5 < N_5_BITS.length ? N_5_BITS[B5] : B5 * 3);
  const tenSbits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? N_5_BITS[S5 + 1] : (S5 + 1) * 3);
  const digits: number[] = [];
  let low: boolean;
  let high: boolean;
  let lowDigitDifference: bigint;
  if (Bbits < 64 && tenSbits < 64) {
    // FloatingDecimal's int and long paths: the same loop in Java's 32- and 64-bit arithmetic.
    const width = Bbits < 32 && tenSbits < 32 ? 32 : 64;
    const wrap = (x: bigint): bigint => BigInt.asIntN(width, x);
    let b = wrap(wrap(fract * pow5(B5)) << BigInt(B2));
    const s = wrap(pow5(S5) << BigInt(S2));
    let m = wrap(pow5(M5) << BigInt(M2));
    const tens = wrap(s * 10n);
    let q = Number(b / s);
    b = wrap(10n * (b % s));
    m = wrap(m * 10n);
    low = b < m;
    high = wrap(b + m) > tens;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (decExp < -3 || decExp >= 8) high = low = false;
    while (!low && !high) {
      q = Number(b / s);
      b = wrap(10n * (b % s));
      m = wrap(m * 10n);
      if (m > 0n) {
        low = b < m;
        high = wrap(b + m) > tens;
      } else {
        // Java's "m might overflow" case: then it is certainly > b, and b + m > tens.
        low = true;
        high = true;
      }
      digits.push(q);
    }
    lowDigitDifference = width === 32 ? BigInt(((Number(b) << 1) - Number(tens)) | 0) : wrap((b << 1n) - tens);
  } else {
    // FloatingDecimal's FDBigInteger path (exact; its normalisation shift scales every value alike).
    const S = pow5(S5) << BigInt(S2);
    let B = (fract * pow5(B5)) << BigInt(B2);
    let M = pow5(M5 + 1) << BigInt(M2 + 1);
    const tenS = pow5(S5 + 1) << BigInt(S2 + 1);
    let q = Number(B / S);
    B = (B % S) * 10n;
    low = B < M;
    high = tenS <= B + M;
    if (q === 0 && !high) decExp--;
    else digits.push(q);
    if (decExp < -3 || decExp >= 8) high = low = false;
    while (!low && !high) {
      q = Number(B / S);
      B = (B % S) * 10n;
      M *= 10n;
      low = B < M;
      high = tenS <= B + M;
      digits.push(q);
    }
    lowDigitDifference = high && low ? (B << 1n) - tenS : 0n;
  }
  const result: Decimal = { digits, decExponent: decExp + 1 };
  if (high) {
    if (low) {
      if (lowDigitDifference === 0n) {
        if ((digits[digits.length - 1] & 1) !== 0) roundup(result);
      } else if (lowDigitDifference > 0n) roundup(result);
    } else roundup(result);
  }
  return result;
}

function insignificantDigitsForPow2(p2: number): number {
  return p2 > 1 && p2 < INSIGNIFICANT_DIGITS.length ? INSIGNIFICANT_DIGITS[p2] : 0;
}

/** The digits of a long, less `insignificant` low digits (rounded half up), trailing zeros dropped. */
function developLongDigits(lvalue: bigint, insignificant: number): Decimal {
  let decExponent = 0;
  if (insignificant !== 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = lvalue % pow10;
    lvalue /= pow10;
    decExponent += insignificant;
    if (residue >= pow10 >> 1n) lvalue++;
  }
  let text = lvalue.toString();
  let stripped = text.length;
  while (text[stripped - 1] === '0') stripped--;
  decExponent += text.length - 1;
  text = text.slice(0, stripped);
  const digits: number[] = [];
  for (let i = 0; i < text.length; i++) digits.push(text.charCodeAt(i) - 48);
  return { digits, decExponent: decExponent + 1 };
}

/** floor(log10(d)), estimated as FloatingDecimal does (in double arithmetic, so the same on every JVM). */
function estimateDecExp(fractBits: bigint, binExp: number): number {
  view.setBigUint64(0, (BigInt(EXP_BIAS) << 52n) | (fractBits & SIGNIF_MASK));
  const d2 = view.getFloat64(0);
  const d = (d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981;
  return Math.floor(d);
}

/** Adds one to the last digit (a carry out of all nines makes `1` and a larger exponent, as Java's does). */
function roundup(r: Decimal): void {
  let i = r.digits.length - 1;
  let q = r.digits[i];
  if (q === 9) {
    while (q === 9 && i > 0) {
      r.digits[i] = 0;
      q = r.digits[--i];
    }
    if (q === 9) {
      r.decExponent += 1;
      r.digits[0] = 1;
      return;
    }
  }
  r.digits[i] = q + 1;
}

/** FloatingDecimal's getChars: the Double.toString layout of the digits. */
function layout(negative: boolean, { digits, decExponent }: Decimal): string {
  const ds = digits.join('');
  const n = ds.length;
  let s = negative ? '-' : '';
  if (decExponent > 0 && decExponent < 8) {
    const whole = Math.min(n, decExponent);
    s += ds.slice(0, whole);
    if (whole < decExponent) s += '0'.repeat(decExponent - whole) + '.0';
    else s += '.' + (whole < n ? ds.slice(whole) : '0');
  } else if (decExponent <= 0 && decExponent > -3) {
    s += '0.' + '0'.repeat(-decExponent) + ds;
  } else {
    s += ds[0] + '.' + (n > 1 ? ds.slice(1) : '0') + 'E' + (decExponent <= 0 ? '-' + (-decExponent + 1) : String(decExponent - 1));
  }
  return s;
}
