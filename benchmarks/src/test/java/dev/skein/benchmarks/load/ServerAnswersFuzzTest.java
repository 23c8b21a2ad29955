package dev.skein.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * What a server under test says back is read by three small parsers: a {@code Retry-After} header,
 * a Prometheus text page, a query answer. Whatever the server sends, each returns a value within
 * bounds and none throws, so that a misbehaving server shows up in the report instead of ending the
 * run.
 */
class ServerAnswersFuzzTest {

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({
    "skein_pipeline_spans_stored_total",
    "{le=\"+Inf\"}",
    " 1e3",
    "{\"data\":[{\"spans\":[{}]}]}",
    "[[{\"traceId\":\"a\"}]]",
    "\"spans\"",
  })
  void answersAreReadWithinBounds(FuzzedDataProvider data) {
    String header = data.consumeString(20);
    long pause = RetryAfter.parseNanos(header);
    assertThat(pause).isBetween(1L, RetryAfter.MAX_NANOS);

    String metrics = data.consumeString(500);
    double value = PrometheusScrape.sum(metrics, "skein_pipeline_spans_stored_total");
    if (!metrics.contains("skein_pipeline_spans_stored_total")) {
      assertThat(value).isNaN();
    }

    byte[] body = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
    int[] counted = QueryBench.count(body);
    assertThat(counted).hasSize(2);
    assertThat(counted[0]).isNotNegative();
    assertThat(counted[1]).isNotNegative();
  }
}
