package dev.skein.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.sdk.SkeinSdk;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanLimits;
import dev.skein.sdk.export.InMemorySpanExporter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An encoder remembers the attribute keys it has encoded; reusing one, across batches and threads,
 * must give the same bytes as a fresh one.
 */
class EncoderReuseTest {

  @Test
  void manyDistinctKeys_encodeAlikeInAReusedAndAFreshEncoder() throws Exception {
    OtlpProtoEncoder proto = new OtlpProtoEncoder();
    OtlpJsonEncoder json = new OtlpJsonEncoder();
    for (int round = 0; round < 3; round++) {
      List<SpanData> spans = spansWithKeys(600, round); // more keys than the encoders keep

      assertThat(proto.encode(spans)).isEqualTo(new OtlpProtoEncoder().encode(spans));
      assertThat(json.encode(spans)).isEqualTo(new OtlpJsonEncoder().encode(spans));
      assertThat(OtlpAssertions.parseProto(proto.encode(spans)))
          .isEqualTo(OtlpAssertions.parseJson(json.encode(spans)));
    }
  }

  @Test
  void oneEncoder_sharedByThreads_givesEachTheSameBytes() throws Exception {
    List<SpanData> spans = spansWithKeys(300, 0);
    byte[] expectedProto = new OtlpProtoEncoder().encode(spans);
    byte[] expectedJson = new OtlpJsonEncoder().encode(spans);
    OtlpProtoEncoder proto = new OtlpProtoEncoder();
    OtlpJsonEncoder json = new OtlpJsonEncoder();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(
            threads.submit(
                () ->
                    java.util.Arrays.equals(proto.encode(spans), expectedProto)
                        && java.util.Arrays.equals(json.encode(spans), expectedJson)));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** Spans whose attribute keys are new strings, some repeated as other objects. */
  private static List<SpanData> spansWithKeys(int distinctKeys, int round) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SkeinSdk sdk = TestSpans.sdk(exporter, "keys", SpanLimits.DEFAULT)) {
      Tracer tracer = sdk.getTracerProvider().get("keys");
      for (int first = 0; first < distinctKeys; first += 50) {
        Span span = tracer.spanBuilder("keys from " + first).startSpan();
        for (int k = first; k < first + 50 && k < distinctKeys; k++) {
          span.setAttribute(new String("key." + round + "." + k), (long) k);
          span.setAttribute(new String("k" + k % 7), "value é " + k); // equal, not identical
        }
        span.end();
      }
    }
    return exporter.finishedSpans();
  }
}
