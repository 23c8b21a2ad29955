package dev.skein.exporter.otlp;

import dev.skein.exporter.WireBuffer;

/**
 * Doubles as proto3 JSON numbers, most of them without making a {@link String}.
 *
 * <p>A double {@code d} is written as an integer {@code m} with {@code k} decimals when {@code m /
 * 10^k}, computed in double arithmetic, is {@code d} again. That division is correctly rounded, as
 * is a JSON parser's reading of the decimal, so both give the same double: the text reads back
 * exactly. The smallest such {@code k} is used, so {@code 0.25} stays {@code 0.25}. Numbers this
 * cannot express (beyond 2^53 once scaled, or with more than 17 decimals) go through {@link
 * Double#toString}.
 */
final class JsonDoubles {

  /** Doubles hold every integer up to 2^53 exactly; past that, m loses digits. */
  private static final double EXACT_INTEGERS = 0x1p53;

  private static final int MAX_DECIMALS = 17;

  private static final double[] POWERS_OF_TEN = new double[MAX_DECIMALS + 1];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10; // exact: 10^17 < 2^53 * 2^5
    }
  }

  private JsonDoubles() {}

  /**
   * Writes {@code d} as proto3 JSON has doubles: a number, or one of the strings {@code "NaN"},
   * {@code "Infinity"} and {@code "-Infinity"}.
   */
  static void write(WireBuffer out, double d) {
    if (Double.isNaN(d)) {
      out.writeAscii("\"NaN\"");
    } else if (Double.isInfinite(d)) {
      out.writeAscii(d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else if (d == 0) {
      out.writeAscii(Double.doubleToRawLongBits(d) == 0 ? "0" : "-0.0");
    } else if (!writeScaled(out, d)) {
      out.writeAscii(Double.toString(d));
    }
  }

  /** Writes {@code d} as a decimal with the fewest decimals that read back exactly, if any do. */
  private static boolean writeScaled(WireBuffer out, double d) {
    double magnitude = Math.abs(d);
    // The most decimals that keep the scaled value exact, and whether even those read back.
    int most = -1;
    while (most < MAX_DECIMALS && magnitude * POWERS_OF_TEN[most + 1] < EXACT_INTEGERS) {
      most++;
    }
    if (most < 0 || !readsBack(magnitude, most)) {
      return false;
    }
    int fewest = 0; // binary search: if k decimals read back, so do k + 1
    int highest = most;
    while (fewest < highest) {
      int middle = (fewest + highest) >>> 1;
      if (readsBack(magnitude, middle)) {
        highest = middle;
      } else {
        fewest = middle + 1;
      }
    }
    long scaled = Math.round(magnitude * POWERS_OF_TEN[fewest]);
    if (d < 0) {
      out.writeByte('-');
    }
    if (fewest == 0) {
      out.writeDecimal(scaled);
      return true;
    }
    long unit = (long) POWERS_OF_TEN[fewest];
    out.writeDecimal(scaled / unit);
    out.writeByte('.');
    long fraction = scaled % unit;
    for (long digit = unit / 10; digit > 0; digit /= 10) { // with its leading zeros
      out.writeByte((int) ('0' + fraction / digit));
      fraction %= digit;
    }
    return true;
  }

  private static boolean readsBack(double magnitude, int decimals) {
    return Math.round(magnitude * POWERS_OF_TEN[decimals]) / POWERS_OF_TEN[decimals] == magnitude;
  }
}
