package dev.skein.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.sdk.FakeSpan;
import dev.skein.sdk.SpanData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class InMemorySpanExporterTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  @Test
  void inMemory_keepsExportedSpansInOrder() {
    SpanData a = FakeSpan.sampled("a");
    SpanData b = FakeSpan.sampled("b");
    SpanData c = FakeSpan.sampled("c");

    assertThat(exporter.export(List.of(a, b))).isCompleted();
    assertThat(exporter.export(List.of(c))).isCompleted();

    assertThat(exporter.finishedSpans()).containsExactly(a, b, c);
  }

  @Test
  void inMemory_finishedSpansIsAnImmutableSnapshot() {
    exporter.export(List.of(FakeSpan.sampled("a")));
    List<SpanData> snapshot = exporter.finishedSpans();

    exporter.export(List.of(FakeSpan.sampled("b")));

    assertThat(snapshot).hasSize(1);
    assertThatThrownBy(() -> snapshot.add(FakeSpan.sampled("c")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void inMemory_resetForgetsSpans() {
    exporter.export(List.of(FakeSpan.sampled("a")));

    exporter.reset();

    assertThat(exporter.finishedSpans()).isEmpty();
    exporter.export(List.of(FakeSpan.sampled("b")));
    assertThat(exporter.finishedSpans()).extracting(SpanData::name).containsExactly("b");
  }

  @Test
  void inMemory_exportAfterShutdownFailsAndKeepsEarlierSpans() {
    exporter.export(List.of(FakeSpan.sampled("a")));

    exporter.shutdown().join();
    CompletableFuture<Void> result = exporter.export(List.of(FakeSpan.sampled("b")));

    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(exporter.finishedSpans()).extracting(SpanData::name).containsExactly("a");
  }

  @Test
  void inMemory_worksBehindBatchProcessor() throws Exception {
    BatchSpanProcessor processor = BatchSpanProcessor.builder(exporter).build();
    processor.onEnd(FakeSpan.sampled("a"));
    processor.onEnd(FakeSpan.sampled("b"));

    processor.shutdown().join();

    assertThat(exporter.finishedSpans()).extracting(SpanData::name).containsExactly("a", "b");
    assertThat(exporter.export(List.of())).isCompletedExceptionally();
  }
}
