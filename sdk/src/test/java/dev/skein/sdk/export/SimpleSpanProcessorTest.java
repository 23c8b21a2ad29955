package dev.skein.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.skein.sdk.FakeSpan;
import dev.skein.sdk.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimpleSpanProcessorTest {

  private final RecordingExporter exporter = new RecordingExporter();
  private final SimpleSpanProcessor processor = SimpleSpanProcessor.create(exporter);

  @Test
  void simple_exportsEachSampledSpanAsItEnds() {
    SpanData first = FakeSpan.sampled("first");
    SpanData second = FakeSpan.sampled("second");

    processor.onEnd(first);
    assertThat(exporter.spans()).containsExactly(first);
    processor.onEnd(second);

    assertThat(exporter.spans()).containsExactly(first, second);
    assertThat(exporter.batchSizes()).containsExactly(1, 1);
  }

  @Test
  void simple_neverExportsUnsampledSpans() {
    processor.onEnd(FakeSpan.unsampled("no"));

    assertThat(exporter.spans()).isEmpty();
  }

  @Test
  void simple_forceFlushWaitsForExportsInFlight() throws Exception {
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    exporter.onExport =
        batch -> {
          CompletableFuture<Void> result = new CompletableFuture<>();
          pending.add(result);
          return result;
        };
    processor.onEnd(FakeSpan.sampled("slow"));
    processor.onEnd(FakeSpan.sampled("slower"));

    CompletableFuture<Void> flushed = processor.forceFlush();
    assertThat(flushed).isNotDone();
    pending.get(0).complete(null);
    assertThat(flushed).isNotDone();
    pending.get(1).completeExceptionally(new RuntimeException("backend down"));

    flushed.get(10, TimeUnit.SECONDS);
    assertThat(exporter.flushes()).isEqualTo(1);
  }

  @Test
  void simple_shutdownShutsDownExporterAndIgnoresLaterSpans() throws Exception {
    processor.onEnd(FakeSpan.sampled("before"));

    processor.shutdown().get(10, TimeUnit.SECONDS);
    processor.onEnd(FakeSpan.sampled("after"));

    assertThat(exporter.spans()).extracting(SpanData::name).containsExactly("before");
    assertThat(exporter.shutdowns()).isEqualTo(1);
  }

  @Test
  void simple_shutdownWaitsForExportsInFlight() throws Exception {
    CompletableFuture<Void> export = new CompletableFuture<>();
    exporter.onExport = batch -> export;
    processor.onEnd(FakeSpan.sampled("slow"));

    CompletableFuture<Void> shutdown = processor.shutdown();
    assertThat(shutdown).isNotDone();
    assertThat(exporter.shutdowns()).isZero();
    export.complete(null);

    shutdown.get(10, TimeUnit.SECONDS);
    assertThat(exporter.shutdowns()).isEqualTo(1);
  }

  @Test
  void simple_shutdownIsIdempotent() throws Exception {
    CompletableFuture<Void> first = processor.shutdown();

    assertThat(processor.shutdown()).isSameAs(first);
    first.get(10, TimeUnit.SECONDS);
    assertThat(exporter.shutdowns()).isEqualTo(1);
  }

  @Test
  void simple_exporterFailureNeverReachesTheCaller() throws Exception {
    exporter.onExport =
        batch -> {
          throw new IllegalStateException("exporter bug");
        };
    assertThatCode(() -> processor.onEnd(FakeSpan.sampled("a"))).doesNotThrowAnyException();

    exporter.onExport = batch -> CompletableFuture.failedFuture(new RuntimeException("down"));
    assertThatCode(() -> processor.onEnd(FakeSpan.sampled("b"))).doesNotThrowAnyException();

    processor.forceFlush().get(10, TimeUnit.SECONDS);
  }
}
