package dev.skein.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.storage.LatencyHistogram;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void emptyHasNoPercentile() {
    assertThat(Percentiles.estimateNanos(new long[LatencyHistogram.BUCKETS], 0.5)).isNaN();
  }

  @Test
  void interpolatesInsideTheBucket() {
    long[] counts = new long[LatencyHistogram.BUCKETS];
    counts[0] = 4; // [0, 100 us]
    assertThat(Percentiles.estimateNanos(counts, 0.25)).isEqualTo(25_000.0);
    assertThat(Percentiles.estimateNanos(counts, 1.0)).isEqualTo(100_000.0);
  }

  @Test
  void estimatesStayInsideTheTrueValuesBucket() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(2_000);
      long[] durations = new long[n];
      long[] counts = new long[LatencyHistogram.BUCKETS];
      for (int i = 0; i < n; i++) {
        durations[i] = (long) Math.exp(random.nextDouble() * 25); // 1 ns .. ~72 s
        counts[LatencyHistogram.bucketOf(durations[i])]++;
      }
      Arrays.sort(durations);
      for (double q : new double[] {0.5, 0.95, 0.99}) {
        long exact = durations[(int) Math.ceil(q * n) - 1];
        double estimate = Percentiles.estimateNanos(counts, q);
        int bucket = LatencyHistogram.bucketOf(exact);
        double lower = bucket == 0 ? 0 : LatencyHistogram.upperBoundNanos(bucket - 1);
        double upper =
            bucket == LatencyHistogram.BUCKETS - 1
                ? lower
                : LatencyHistogram.upperBoundNanos(bucket);
        assertThat(estimate).as("q=%s n=%d", q, n).isBetween(lower, upper);
      }
    }
  }
}
