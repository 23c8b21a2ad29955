package dev.skein.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class RetryRulesTest {

  @Test
  void backoffGrowsByTheMultiplierUpToTheCapWithHalfOfItJittered() {
    RetryPolicy policy = RetryPolicy.defaults(); // 1 s × 1.5 up to 5 s
    assertThat(policy.backoffNanos(1, 0)).isEqualTo(500_000_000L);
    assertThat(policy.backoffNanos(1, 0.999999)).isBetween(999_000_000L, 1_000_000_000L);
    assertThat(policy.backoffNanos(2, 0)).isEqualTo(750_000_000L);
    assertThat(policy.backoffNanos(3, 0)).isEqualTo(1_125_000_000L);
    assertThat(policy.backoffNanos(20, 0)).isEqualTo(2_500_000_000L);
    assertThat(policy.backoffNanos(20, 0.999999)).isLessThanOrEqualTo(5_000_000_000L);
  }

  @Test
  void impossiblePoliciesAreRefused() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 1, Duration.ZERO))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(
            () ->
                new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), 1, Duration.ZERO))
        .hasMessageContaining("initial <= max");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 0.5, Duration.ZERO))
        .hasMessageContaining("multiplier");
  }

  @Test
  void retryAfterReadsSecondsAndHttpDates() {
    assertThat(HttpTransport.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(HttpTransport.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
    assertThat(HttpTransport.retryAfter("99999999999999999999")).isGreaterThan(Duration.ofDays(1));
    String inAMinute =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
    assertThat(HttpTransport.retryAfter(inAMinute))
        .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(61));
    String past = "Wed, 21 Oct 2015 07:28:00 GMT";
    assertThat(HttpTransport.retryAfter(past)).isEqualTo(Duration.ZERO);
  }

  @Test
  void garbledRetryAfterMeansOrdinaryBackoff() {
    assertThat(HttpTransport.retryAfter("soon")).isNull();
    assertThat(HttpTransport.retryAfter("-5")).isNull();
    assertThat(HttpTransport.retryAfter("")).isNull();
  }
}
