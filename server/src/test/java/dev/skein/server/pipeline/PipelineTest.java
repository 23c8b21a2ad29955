package dev.skein.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.server.log.FileIngestLog;
import dev.skein.storage.DependencyLink;
import dev.skein.storage.MemorySpanStore;
import dev.skein.storage.Span;
import dev.skein.storage.SpanCodec;
import dev.skein.storage.SpanMetric;
import dev.skein.storage.TraceId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {
  static final long MINUTE_NANOS = 60_000_000_000L;
  static final long T0 = 1_700_000_000_000_000_000L / MINUTE_NANOS * MINUTE_NANOS;

  @TempDir Path dir;

  static Span span(long trace, long id, long parent, String service, String name, long durationMs) {
    return Span.builder()
        .traceId(new TraceId(0, trace))
        .spanId(id)
        .parentSpanId(parent)
        .service(service)
        .name(name)
        .kind(parent == 0 ? Span.Kind.SERVER : Span.Kind.CLIENT)
        .startEpochNanos(T0 + id * 1000)
        .durationNanos(durationMs * 1_000_000)
        .build();
  }

  @Test
  void storesWhatTheLogHoldsThenCommitsWithMetricsAndLinks() throws Exception {
    MemorySpanStore store = new MemorySpanStore();
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      // The callee's span arrives before its caller's, as it usually does.
      log.append(SpanCodec.encode(List.of(span(1, 2, 1, "backend", "get", 3)))).get();
      log.append(
              SpanCodec.encode(
                  List.of(
                      span(1, 1, 0, "frontend", "checkout", 10),
                      span(1, 3, 1, "frontend", "render", 1))))
          .get();
      Pipeline pipeline =
          new Pipeline(log, store, List.of(), Pipeline.Options.defaults().withCommitInterval(0))
              .start();
      assertThat(pipeline.stop(10, TimeUnit.SECONDS)).isTrue();

      assertThat(store.trace(new TraceId(0, 1))).hasSize(3);
      assertThat(log.committedOffset()).isEqualTo(1);
      assertThat(pipeline.stats().spansStored()).isEqualTo(3);
      assertThat(store.dependencies(0, Long.MAX_VALUE))
          .containsExactly(new DependencyLink("frontend", "backend", 1, 0));
      List<SpanMetric> metrics = store.metrics("frontend", 0, Long.MAX_VALUE);
      assertThat(metrics).extracting(SpanMetric::operation).containsExactly("checkout", "render");
      assertThat(metrics.get(0).count()).isEqualTo(1);
      assertThat(metrics.get(0).durationSumNanos()).isEqualTo(10_000_000);
    }
  }

  @Test
  void uncommittedRecordsAreReadAgainAfterARestart() throws Exception {
    MemorySpanStore store = new MemorySpanStore();
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      log.append(SpanCodec.encode(List.of(span(7, 1, 0, "a", "x", 1)))).get();
      log.commit(0);
      log.append(SpanCodec.encode(List.of(span(8, 1, 0, "a", "y", 1)))).get();
    }
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      Pipeline pipeline =
          new Pipeline(log, store, List.of(), Pipeline.Options.defaults().withCommitInterval(0))
              .start();
      assertThat(pipeline.stop(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(store.trace(new TraceId(0, 7))).isEmpty();
    assertThat(store.trace(new TraceId(0, 8))).hasSize(1);
  }

  @Test
  void aRecordThatIsNotASpanBatchIsSkippedAndCounted() throws Exception {
    MemorySpanStore store = new MemorySpanStore();
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      log.append(new byte[] {9, 9, 9}).get();
      log.append(SpanCodec.encode(List.of(span(5, 1, 0, "a", "x", 1)))).get();
      Pipeline pipeline =
          new Pipeline(log, store, List.of(), Pipeline.Options.defaults().withCommitInterval(0))
              .start();
      assertThat(pipeline.stop(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pipeline.stats().corruptRecords()).isEqualTo(1);
      assertThat(store.trace(new TraceId(0, 5))).hasSize(1);
      assertThat(log.committedOffset()).isEqualTo(1);
    }
  }

  @Test
  void processorsSeeEveryBatchAndDecideWhatIsStored() throws Exception {
    MemorySpanStore store = new MemorySpanStore();
    List<String> seen = new ArrayList<>();
    SpanProcessor onlyErrors =
        spans -> {
          spans.forEach(s -> seen.add(s.name()));
          return spans.stream().filter(s -> s.name().startsWith("keep")).toList();
        };
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      log.append(
              SpanCodec.encode(
                  List.of(span(1, 1, 0, "a", "keep-me", 1), span(2, 1, 0, "a", "drop-me", 1))))
          .get();
      Pipeline pipeline =
          new Pipeline(log, store, List.of(onlyErrors), Pipeline.Options.defaults()).start();
      assertThat(pipeline.stop(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(seen).containsExactly("keep-me", "drop-me");
    assertThat(store.trace(new TraceId(0, 1))).hasSize(1);
    assertThat(store.trace(new TraceId(0, 2))).isEmpty();
  }

  @Test
  void spansPastThePerTraceLimitAreDropped() throws Exception {
    MemorySpanStore store = new MemorySpanStore();
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      spans.add(span(3, i, 0, "a", "op", 1));
    }
    try (FileIngestLog log = FileIngestLog.open(dir, FileIngestLog.Options.defaults())) {
      log.append(SpanCodec.encode(spans)).get();
      Pipeline pipeline =
          new Pipeline(log, store, List.of(), Pipeline.Options.defaults().withMaxSpansPerTrace(4))
              .start();
      assertThat(pipeline.stop(10, TimeUnit.SECONDS)).isTrue();
      assertThat(pipeline.stats().droppedOverTraceLimit()).isEqualTo(6);
    }
    assertThat(store.trace(new TraceId(0, 3))).hasSize(4);
  }
}
