package dev.skein.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skein.storage.LatencyHistogram;
import dev.skein.storage.Span;
import dev.skein.storage.SpanMetric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SkeinApiTest {
  static final long NOW_MS = QueryServer.NOW.toEpochMilli();
  static final long MINUTE_1 = NOW_MS - 10 * 60_000L;
  static final long MINUTE_2 = NOW_MS - 9 * 60_000L;
  static final long OLD_MINUTE = NOW_MS - 3 * 3_600_000L;

  QueryServer server;

  static long[] buckets(int... bucketAndCount) {
    long[] counts = new long[LatencyHistogram.BUCKETS];
    for (int i = 0; i < bucketAndCount.length; i += 2) {
      counts[bucketAndCount[i]] += bucketAndCount[i + 1];
    }
    return counts;
  }

  @BeforeAll
  void start() {
    server = new QueryServer();
    server.store.writeMetrics(
        List.of(
            // 50 spans in (500 us, 1 ms], 50 in (2.5 ms, 5 ms].
            new SpanMetric(
                MINUTE_1,
                "frontend",
                "GET /",
                Span.Kind.SERVER,
                100,
                5,
                150_000_000L,
                buckets(3, 50, 5, 50)),
            new SpanMetric(
                MINUTE_1,
                "frontend",
                "POST /pay",
                Span.Kind.CLIENT,
                2,
                2,
                130_000_000_000L,
                buckets(LatencyHistogram.BUCKETS - 1, 2)),
            new SpanMetric(MINUTE_2, "frontend", "GET /", Span.Kind.SERVER, 0, 0, 0, buckets()),
            new SpanMetric(
                MINUTE_1,
                "payment",
                "charge",
                Span.Kind.SERVER,
                10,
                0,
                10_000_000L,
                buckets(0, 10)),
            new SpanMetric(
                OLD_MINUTE, "frontend", "GET /", Span.Kind.SERVER, 1, 0, 1_000L, buckets(0, 1))));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private JsonNode data(String pathAndQuery) {
    QueryServer.Reply reply = server.get(pathAndQuery);
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("errors").isNull()).isTrue();
    assertThat(json.get("total").asInt()).isEqualTo(json.get("data").size());
    return json.get("data");
  }

  private static List<String> rowKeys(JsonNode rows) {
    List<String> keys = new ArrayList<>();
    rows.forEach(
        row ->
            keys.add(
                row.get("minute").asLong()
                    + " "
                    + row.get("service").asText()
                    + " "
                    + row.get("operation").asText()));
    return keys;
  }

  @Test
  void perMinutePerOperationRows() {
    JsonNode rows = data("/api/skein/metrics?service=frontend");
    assertThat(rowKeys(rows))
        .containsExactly(
            MINUTE_1 + " frontend GET /",
            MINUTE_1 + " frontend POST /pay",
            MINUTE_2 + " frontend GET /");
    JsonNode get = rows.get(0);
    assertThat(get.get("spanKind").asText()).isEqualTo("server");
    assertThat(get.get("count").asLong()).isEqualTo(100);
    assertThat(get.get("errors").asLong()).isEqualTo(5);
    assertThat(get.get("ratePerSecond").asDouble()).isEqualTo(100 / 60.0);
    assertThat(get.get("errorRate").asDouble()).isEqualTo(0.05);
    assertThat(get.get("durationAvgMicros").asDouble()).isEqualTo(1_500.0);
    // p50: rank 50 ends bucket (500, 1000]; p95: rank 95 is 45 of 50 into (2500, 5000] -> 4750;
    // p99: 49 of 50 into it -> 4950.
    assertThat(get.get("p50Micros").asDouble()).isEqualTo(1_000.0);
    assertThat(get.get("p95Micros").asDouble()).isEqualTo(4_750.0);
    assertThat(get.get("p99Micros").asDouble()).isEqualTo(4_950.0);
    JsonNode histogram = get.get("histogram");
    assertThat(histogram).hasSize(2);
    assertThat(histogram.get(0).get("leMicros").asLong()).isEqualTo(1_000);
    assertThat(histogram.get(0).get("count").asLong()).isEqualTo(50);
    assertThat(histogram.get(1).get("leMicros").asLong()).isEqualTo(5_000);

    JsonNode slow = rows.get(1);
    assertThat(slow.get("spanKind").asText()).isEqualTo("client");
    // Beyond the last bound: reported as that bound, 60 s.
    assertThat(slow.get("p50Micros").asDouble()).isEqualTo(60_000_000.0);
    assertThat(slow.get("histogram").get(0).get("leMicros").isNull()).isTrue();

    JsonNode empty = rows.get(2);
    assertThat(empty.get("count").asLong()).isZero();
    assertThat(empty.get("p50Micros").isNull()).isTrue();
    assertThat(empty.get("errorRate").isNull()).isTrue();
    assertThat(empty.get("histogram")).isEmpty();
  }

  @Test
  void everyServiceAndWindows() {
    assertThat(data("/api/skein/metrics")).hasSize(4);
    assertThat(rowKeys(data("/api/skein/metrics?start=" + MINUTE_2)))
        .containsExactly(MINUTE_2 + " frontend GET /");
    assertThat(rowKeys(data("/api/skein/metrics?start=0&end=" + (MINUTE_1 - 1))))
        .containsExactly(OLD_MINUTE + " frontend GET /");
    assertThat(data("/api/skein/metrics?service=payment&start=" + MINUTE_1 + "&end=" + MINUTE_1))
        .hasSize(1);
  }

  @Test
  void badParameters() {
    for (String query :
        List.of("start=abc", "end=1.5", "start=" + NOW_MS + "&end=" + (NOW_MS - 1), "end=-1")) {
      QueryServer.Reply reply = server.get("/api/skein/metrics?" + query);
      assertThat(reply.status()).as(query).isEqualTo(400);
      JsonNode error = reply.json().get("errors").get(0);
      assertThat(error.get("code").asInt()).isEqualTo(400);
      assertThat(error.get("msg").asText()).containsAnyOf("'start'", "'end'");
    }
  }
}
