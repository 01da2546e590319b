// Prints `<bits in hex> <Double.toString(d)>` for a fixed set of doubles: what the JDK that runs Spark prints, for
// lib/core/JavaDouble.ts's test. Compiled and run by scripts/spark-goldens:
//   java DoubleVectors.java > test/fidelity/vectors/java-double-tostring.txt
import java.util.Random;

public class DoubleVectors {
  private static void emit(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return;
    System.out.println(Long.toHexString(Double.doubleToRawLongBits(d)) + " " + Double.toString(d));
  }

  public static void main(String[] args) {
    double[] special = {0.0, -0.0, 1.0, -1.5, 0.1, 0.1 + 0.2, 100.0, 1e-3, 9.99e-4, 1e7, 9999999.0, 1.23456789e7, 1e-5, 2.5e-7,
        1e16, 1e21, 1e22, 1e23, 2e23, 8.41e21, 2.82879384806159e17, 1.9400994884341945e25, 9007199254740992.0,
        9007199254740993.0, 9.223372036854776e18, Double.MAX_VALUE, Double.MIN_VALUE, Double.MIN_NORMAL, 5e-324, 1e-323,
        4.35e-5, 123456.789, 12345678.9, 0.000999, 1.0 / 3, 2.0 / 3, -1e-300, 1e300};
    for (double d : special) emit(d);
    Random r = new Random(15);
    for (int i = 0; i < 800; i++) emit(Double.longBitsToDouble(r.nextLong()));
    for (int i = 0; i < 800; i++) emit(Double.parseDouble((1 + r.nextInt(999)) + "e" + (r.nextInt(61) - 30)));
    for (int i = 0; i < 400; i++) emit((double) (r.nextLong() >>> (1 + r.nextInt(12))));
    for (int i = 0; i < 300; i++) emit(Double.parseDouble((1 + r.nextInt(999)) + "e" + (15 + r.nextInt(11))));
    for (int i = 0; i < 200; i++) emit(Double.longBitsToDouble(r.nextLong() >>> (12 + r.nextInt(52))));
    for (int i = 0; i < 300; i++) emit(r.nextDouble() * Math.pow(10, r.nextInt(20) - 10));
    // Exact powers of two, where JDK 17's digits are often not the shortest (2^-1016 is 7.1202363472230444E-307).
    for (int e = -1074; e <= 1023; e += 7) emit(Math.scalb(1.0, e));
  }
}
