package dev.skein.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skein.exporter.WireBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonDoublesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyDouble_readsBackToTheSameBits() throws Exception {
    Random random = new Random(17);
    for (int i = 0; i < 100_000; i++) {
      double d =
          switch (i % 4) {
            case 0 -> Double.longBitsToDouble(random.nextLong()); // any bits at all
            case 1 -> random.nextDouble();
            case 2 -> random.nextDouble() * 100;
            default -> Math.round(random.nextDouble() * 1e6) / 1e3; // three decimals
          };
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        continue;
      }
      String text = write(d);

      assertThat(text).as("%s", d).matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
      assertThat(Double.doubleToRawLongBits(Double.parseDouble(text)))
          .as("%s written as %s", d, text)
          .isEqualTo(Double.doubleToRawLongBits(d));
      assertThat(JSON.readTree(text).doubleValue()).isEqualTo(d);
    }
  }

  @Test
  void shortDecimals_stayShort() {
    assertThat(write(0.25)).isEqualTo("0.25");
    assertThat(write(0.1)).isEqualTo("0.1");
    assertThat(write(12.5)).isEqualTo("12.5");
    assertThat(write(-0.5)).isEqualTo("-0.5");
    assertThat(write(3.0)).isEqualTo("3");
    assertThat(write(0.00001)).isEqualTo("0.00001");
    assertThat(write(123456.789)).isEqualTo("123456.789");
    assertThat(write(1.7e-3)).isEqualTo("0.0017");
  }

  @Test
  void numbersBeyondExactScaling_useJavasOwnForm() {
    assertThat(write(1e17)).isEqualTo("1.0E17");
    assertThat(write(1e-300)).isEqualTo("1.0E-300");
    assertThat(write(Double.MAX_VALUE)).isEqualTo(Double.toString(Double.MAX_VALUE));
    assertThat(write(Double.MIN_VALUE)).isEqualTo(Double.toString(Double.MIN_VALUE));
  }

  @Test
  void zerosAndNonFiniteValues_areTheProto3Forms() {
    assertThat(write(0.0)).isEqualTo("0");
    assertThat(write(-0.0)).isEqualTo("-0.0");
    assertThat(write(Double.NaN)).isEqualTo("\"NaN\"");
    assertThat(write(Double.POSITIVE_INFINITY)).isEqualTo("\"Infinity\"");
    assertThat(write(Double.NEGATIVE_INFINITY)).isEqualTo("\"-Infinity\"");
  }

  private static String write(double d) {
    WireBuffer out = new WireBuffer(32);
    JsonDoubles.write(out, d);
    return new String(out.toByteArray(), StandardCharsets.US_ASCII);
  }
}
