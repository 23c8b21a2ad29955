package dev.skein.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerAnswersTest {

  @Test
  void retryAfterIsHonouredBrieflyAndDefaultsWhenUnreadable() {
    assertThat(RetryAfter.parseNanos("1")).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    assertThat(RetryAfter.parseNanos(" 2 ")).isEqualTo(TimeUnit.SECONDS.toNanos(2));
    assertThat(RetryAfter.parseNanos("120")).isEqualTo(RetryAfter.MAX_NANOS);
    assertThat(RetryAfter.parseNanos(null)).isEqualTo(RetryAfter.DEFAULT_NANOS);
    assertThat(RetryAfter.parseNanos("0")).isEqualTo(RetryAfter.DEFAULT_NANOS);
    assertThat(RetryAfter.parseNanos("Wed, 21 Oct 2015 07:28:00 GMT"))
        .isEqualTo(RetryAfter.DEFAULT_NANOS);
    assertThat(RetryAfter.parseNanos("99999999999999999999")).isEqualTo(RetryAfter.DEFAULT_NANOS);
  }

  @Test
  void aCounterIsSummedOverItsLabelsAndNotConfusedWithLongerNames() {
    String text =
        """
        # HELP skein_spans_total spans
        # TYPE skein_spans_total counter
        skein_spans_total{reason="a"} 3
        skein_spans_total{reason="b",x="}"} 4.5 1700000000000
        skein_spans_total_other 100
        skein_stored 7
        """;
    assertThat(PrometheusScrape.sum(text, "skein_spans_total")).isEqualTo(7.5);
    assertThat(PrometheusScrape.sum(text, "skein_stored")).isEqualTo(7);
    assertThat(PrometheusScrape.sum(text, "skein_missing")).isNaN();
  }

  @Test
  void queryAnswersAreCountedInBothApis() {
    assertThat(count("{\"data\":[{\"spans\":[{},{}]},{\"spans\":[{}]}],\"total\":2}"))
        .containsExactly(2, 3);
    assertThat(count("{\"data\":[],\"errors\":null}")).containsExactly(0, 0);
    assertThat(count("[{\"traceId\":\"a\"},{\"traceId\":\"a\"}]")).containsExactly(1, 2);
    assertThat(count("[[{\"id\":\"1\"}],[{\"id\":\"2\"},{\"id\":\"3\"}]]")).containsExactly(2, 3);
    assertThat(count("not json")).containsExactly(0, 0);
    assertThat(count("{\"errors\":[{\"code\":404}]}")).containsExactly(0, 0);
  }

  private static int[] count(String json) {
    return QueryBench.count(json.getBytes(StandardCharsets.UTF_8));
  }
}
