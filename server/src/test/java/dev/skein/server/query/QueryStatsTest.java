package dev.skein.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.server.query.QueryStats.Call;
import org.junit.jupiter.api.Test;

class QueryStatsTest {

  @Test
  void countsTotalsMaximaAndBuckets() {
    QueryStats stats = new QueryStats();
    stats.record(Call.READ_TRACE, 50_000L, false); // first bucket, <= 100 us
    stats.record(Call.READ_TRACE, 3_000_000L, false); // (2.5 ms, 5 ms]
    stats.record(Call.READ_TRACE, 90_000_000_000L, true); // past the last bound (60 s)
    QueryStats.CallStats read = stats.get(Call.READ_TRACE);
    assertThat(read.count()).isEqualTo(3);
    assertThat(read.errors()).isEqualTo(1);
    assertThat(read.totalNanos()).isEqualTo(90_003_050_000L);
    assertThat(read.maxNanos()).isEqualTo(90_000_000_000L);
    long[] buckets = read.bucketCounts();
    long[] bounds = QueryStats.bucketUpperBoundsNanos();
    assertThat(buckets).hasSize(bounds.length + 1);
    assertThat(buckets[0]).isEqualTo(1);
    assertThat(buckets[indexOf(bounds, 5_000_000L)]).isEqualTo(1);
    assertThat(buckets[bounds.length]).isEqualTo(1);
    assertThat(stats.get(Call.SERVICES).count()).isZero();
  }

  private static int indexOf(long[] values, long value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    throw new AssertionError(value + " is not a bound");
  }

  @Test
  void prometheusText() {
    QueryStats stats = new QueryStats();
    stats.record(Call.FIND_TRACE_IDS, 1_500_000L, false);
    stats.record(Call.FIND_TRACE_IDS, 7_000_000L, true);
    StringBuilder text = new StringBuilder();
    stats.writePrometheus(text);
    String out = text.toString();
    assertThat(out).contains("# TYPE skein_store_query_seconds histogram\n");
    assertThat(out)
        .contains("skein_store_query_seconds_bucket{call=\"find_trace_ids\",le=\"0.001\"} 0\n");
    assertThat(out)
        .contains("skein_store_query_seconds_bucket{call=\"find_trace_ids\",le=\"0.0025\"} 1\n");
    assertThat(out)
        .contains("skein_store_query_seconds_bucket{call=\"find_trace_ids\",le=\"0.01\"} 2\n");
    assertThat(out)
        .contains("skein_store_query_seconds_bucket{call=\"find_trace_ids\",le=\"+Inf\"} 2\n");
    assertThat(out).contains("skein_store_query_seconds_sum{call=\"find_trace_ids\"} 0.0085\n");
    assertThat(out).contains("skein_store_query_seconds_count{call=\"find_trace_ids\"} 2\n");
    assertThat(out).contains("skein_store_query_max_seconds{call=\"find_trace_ids\"} 0.007\n");
    assertThat(out).contains("skein_store_query_errors_total{call=\"find_trace_ids\"} 1\n");
    assertThat(out).contains("skein_store_query_seconds_count{call=\"read_trace\"} 0\n");
    // Every line is a comment or "name{labels} value".
    for (String line : out.split("\n")) {
      assertThat(line).matches("# .*|[a-z_]+\\{call=\"[a-z_]+\"(,le=\"[^\"]+\")?\\} [0-9.]+");
    }
  }
}
