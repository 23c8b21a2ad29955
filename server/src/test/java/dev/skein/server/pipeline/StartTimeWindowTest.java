package dev.skein.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartTimeWindowTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  static Span startingAt(Instant start, long id) {
    return Span.builder()
        .traceId(new TraceId(0, 1))
        .spanId(id)
        .startEpochNanos(start.getEpochSecond() * 1_000_000_000L)
        .build();
  }

  @Test
  void keepsSpansInsideRetentionAndSkewDropsTheRest() {
    StartTimeWindow window =
        new StartTimeWindow(
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(72), Duration.ofDays(1));
    Span recent = startingAt(NOW.minusSeconds(60), 1);
    Span skewed = startingAt(NOW.plus(Duration.ofHours(2)), 2);
    Span tooOld = startingAt(NOW.minus(Duration.ofDays(4)), 3);
    Span farFuture = startingAt(NOW.plus(Duration.ofDays(30)), 4);
    assertThat(window.process(List.of(recent, tooOld, skewed, farFuture)))
        .containsExactly(recent, skewed);
    assertThat(window.dropped()).isEqualTo(2);
    List<Span> allGood = List.of(recent, skewed);
    assertThat(window.process(allGood)).isSameAs(allGood);
  }
}
