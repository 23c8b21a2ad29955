package dev.skein.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.skein.sdk.export.InMemorySpanExporter;
import dev.skein.sdk.export.SimpleSpanProcessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpanTest {

  private final TestClock clock = new TestClock();
  private InMemorySpanExporter exporter;
  private final AtomicInteger ends = new AtomicInteger();
  private SkeinSdk sdk = sdk(SpanLimits.DEFAULT);
  private Tracer tracer = sdk.getTracer("test");

  private SkeinSdk sdk(SpanLimits limits) {
    exporter = InMemorySpanExporter.create();
    return SkeinSdk.builder()
        .setClock(clock)
        .setSpanLimits(limits)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .addSpanProcessor(span -> ends.incrementAndGet())
        .build();
  }

  private void useLimits(SpanLimits limits) {
    sdk.close();
    sdk = sdk(limits);
    tracer = sdk.getTracer("test");
  }

  @AfterEach
  void close() {
    sdk.close();
  }

  private SpanData only() {
    assertThat(exporter.finishedSpans()).hasSize(1);
    return exporter.finishedSpans().get(0);
  }

  @Test
  void attributes_ofEveryTypeAreKeptWithTheirTypes() {
    tracer
        .spanBuilder("op")
        .setAttribute("builder.string", "s")
        .setAttribute(AttributeKey.longKey("builder.long"), 7L)
        .startSpan()
        .setAttribute("string", "v")
        .setAttribute("long", 42L)
        .setAttribute("double", 1.5)
        .setAttribute("boolean", true)
        .setAttribute(AttributeKey.stringArrayKey("strings"), List.of("a", "b"))
        .setAttribute(AttributeKey.longArrayKey("longs"), List.of(1L, 2L))
        .setAttribute(AttributeKey.doubleArrayKey("doubles"), List.of(0.5))
        .setAttribute(AttributeKey.booleanArrayKey("booleans"), List.of(true, false))
        .setAttribute(AttributeKey.longKey("int"), 3)
        .end();

    SpanData span = only();
    Attributes attributes = span.attributes();
    assertThat(attributes.size()).isEqualTo(11);
    assertThat(attributes.get(AttributeKey.stringKey("builder.string"))).isEqualTo("s");
    assertThat(attributes.get(AttributeKey.longKey("builder.long"))).isEqualTo(7L);
    assertThat(attributes.get(AttributeKey.stringKey("string"))).isEqualTo("v");
    assertThat(attributes.get(AttributeKey.longKey("long"))).isEqualTo(42L);
    assertThat(attributes.get(AttributeKey.doubleKey("double"))).isEqualTo(1.5);
    assertThat(attributes.get(AttributeKey.booleanKey("boolean"))).isTrue();
    assertThat(attributes.get(AttributeKey.stringArrayKey("strings"))).containsExactly("a", "b");
    assertThat(attributes.get(AttributeKey.longArrayKey("longs"))).containsExactly(1L, 2L);
    assertThat(attributes.get(AttributeKey.doubleArrayKey("doubles"))).containsExactly(0.5);
    assertThat(attributes.get(AttributeKey.booleanArrayKey("booleans")))
        .containsExactly(true, false);
    assertThat(attributes.get(AttributeKey.longKey("int"))).isEqualTo(3L);

    assertThat(span.attributeKey(0)).isEqualTo("builder.string");
    assertThat(span.attributeType(3)).isEqualTo(AttributeType.LONG);
    assertThat(span.attributeType(6)).isEqualTo(AttributeType.STRING_ARRAY);
    assertThat(span.attributeValue(4)).isEqualTo(1.5);
  }

  @Test
  void settingAnAttributeAgain_replacesItInPlace() {
    tracer
        .spanBuilder("op")
        .setAttribute("k", "builder")
        .startSpan()
        .setAttribute("other", 1L)
        .setAttribute("k", "span")
        .setAttribute(AttributeKey.longKey("other"), 2L)
        .end();

    SpanData span = only();
    assertThat(span.attributeCount()).isEqualTo(2);
    assertThat(span.attributeKey(0)).isEqualTo("k");
    assertThat(span.attributeValue(0)).isEqualTo("span");
    assertThat(span.attributeValue(1)).isEqualTo(2L);
  }

  @Test
  void badKeysAndValues_areIgnoredWithoutThrowing() {
    Span span = tracer.spanBuilder(null).startSpan();
    assertThatCode(
            () ->
                span.setAttribute((String) null, "v")
                    .setAttribute("", "v")
                    .setAttribute("null-value", (String) null)
                    .setAttribute((AttributeKey<String>) null, "v")
                    .setAllAttributes(null)
                    .addEvent(null)
                    .addEvent("e", (Attributes) null)
                    .setStatus(null)
                    .updateName(null)
                    .recordException(null)
                    .addLink(null)
                    .addLink(SpanContext.getInvalid()))
        .doesNotThrowAnyException();
    span.end(5, null);

    SpanData data = only();
    assertThat(data.name()).isEqualTo("<unspecified span name>");
    assertThat(data.attributeCount()).isZero();
    assertThat(data.events()).extracting(SpanEvent::name).containsExactly("e");
    assertThat(data.links()).isEmpty();
  }

  @Test
  void emptySpanName_getsTheFallbackName() {
    tracer.spanBuilder("  ").startSpan().end();
    assertThat(only().name()).isEqualTo("<unspecified span name>");
  }

  @Test
  void events_keepNameTimeAndAttributes() {
    Span span = tracer.spanBuilder("op").startSpan();
    clock.advance(1, TimeUnit.MILLISECONDS);
    span.addEvent("cache miss", Attributes.of(AttributeKey.stringKey("key"), "user:1"));
    span.addEvent("explicit", 123, TimeUnit.MICROSECONDS);
    span.end();

    List<SpanEvent> events = only().events();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).name()).isEqualTo("cache miss");
    assertThat(events.get(0).epochNanos()).isEqualTo(clock.now());
    assertThat(events.get(0).attributes().get(AttributeKey.stringKey("key"))).isEqualTo("user:1");
    assertThat(events.get(1).epochNanos()).isEqualTo(123_000L);
  }

  @Test
  void recordException_addsTheStandardExceptionEvent() {
    Span span = tracer.spanBuilder("op").startSpan();
    span.recordException(
        new IllegalStateException("boom"), Attributes.of(AttributeKey.stringKey("extra"), "x"));
    span.end();

    SpanEvent event = only().events().get(0);
    assertThat(event.name()).isEqualTo("exception");
    Attributes attributes = event.attributes();
    assertThat(attributes.get(AttributeKey.stringKey("exception.type")))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(attributes.get(AttributeKey.stringKey("exception.message"))).isEqualTo("boom");
    assertThat(attributes.get(AttributeKey.stringKey("exception.stacktrace")))
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("SpanTest");
    assertThat(attributes.get(AttributeKey.stringKey("extra"))).isEqualTo("x");
  }

  @Test
  void status_followsTheOpenTelemetryRules() {
    Span error = tracer.spanBuilder("error").startSpan();
    error.setStatus(StatusCode.ERROR, "db down").setStatus(StatusCode.UNSET);
    error.end();
    Span ok = tracer.spanBuilder("ok").startSpan();
    ok.setStatus(StatusCode.OK, "ignored for ok").setStatus(StatusCode.ERROR, "too late");
    ok.end();

    SpanData errorData = exporter.finishedSpans().get(0);
    SpanData okData = exporter.finishedSpans().get(1);
    assertThat(errorData.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(errorData.statusDescription()).isEqualTo("db down");
    assertThat(okData.statusCode()).isEqualTo(StatusCode.OK);
    assertThat(okData.statusDescription()).isEmpty();
  }

  @Test
  void updateName_renamesBeforeEnd() {
    Span span = tracer.spanBuilder("GET").startSpan();
    span.updateName("GET /users/{id}");
    span.end();
    assertThat(only().name()).isEqualTo("GET /users/{id}");
  }

  @Test
  void links_fromBuilderAndSpanAreKept() {
    SpanContext linked =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Span span =
        tracer
            .spanBuilder("batch")
            .addLink(linked, Attributes.of(AttributeKey.stringKey("why"), "fan-in"))
            .startSpan();
    span.addLink(linked);
    span.end();

    List<SpanLink> links = only().links();
    assertThat(links).hasSize(2);
    assertThat(links.get(0).context()).isEqualTo(linked);
    assertThat(links.get(0).attributes().get(AttributeKey.stringKey("why"))).isEqualTo("fan-in");
  }

  @Test
  void endingTwice_isIgnoredAndReportedOnce() {
    Span span = tracer.spanBuilder("op").startSpan();
    span.end();
    long end = only().endEpochNanos();
    clock.advance(1, TimeUnit.SECONDS);
    span.end();

    assertThat(ends.get()).isEqualTo(1);
    assertThat(only().endEpochNanos()).isEqualTo(end);
    assertThat(span.isRecording()).isFalse();
  }

  @Test
  void changesAfterEnd_areIgnored() {
    Span span = tracer.spanBuilder("op").startSpan();
    span.end();
    span.setAttribute("late", "x")
        .addEvent("late")
        .setStatus(StatusCode.ERROR)
        .updateName("renamed")
        .addLink(span.getSpanContext());

    SpanData data = only();
    assertThat(data.attributeCount()).isZero();
    assertThat(data.events()).isEmpty();
    assertThat(data.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(data.name()).isEqualTo("op");
    assertThat(data.links()).isEmpty();
  }

  @Test
  void attributeLimit_dropsAndCountsTheRest() {
    useLimits(SpanLimits.DEFAULT.withMaxAttributes(3));
    Span span = tracer.spanBuilder("op").setAttribute("b1", 1L).setAttribute("b2", 2L).startSpan();
    span.setAttribute("s1", "x").setAttribute("s2", "y").setAttribute("s3", "z");
    span.setAttribute("b1", 10L); // replacing an existing key is always allowed
    span.end();

    SpanData data = only();
    assertThat(data.attributeCount()).isEqualTo(3);
    assertThat(data.droppedAttributeCount()).isEqualTo(2);
    assertThat(data.attributeValue(0)).isEqualTo(10L);
  }

  @Test
  void builderAttributesBeyondLimit_areCountedToo() {
    useLimits(SpanLimits.DEFAULT.withMaxAttributes(1));
    tracer.spanBuilder("op").setAttribute("a", 1L).setAttribute("b", 2L).startSpan().end();

    assertThat(only().droppedAttributeCount()).isEqualTo(1);
  }

  @Test
  void valueLengthLimit_truncatesStringsAndStringArrays() {
    useLimits(SpanLimits.DEFAULT.withMaxAttributeValueLength(3));
    tracer
        .spanBuilder("op")
        .startSpan()
        .setAttribute("s", "abcdef")
        .setAttribute(AttributeKey.stringArrayKey("a"), List.of("12345", "x"))
        .setAttribute("n", 123456L)
        .end();

    Attributes attributes = only().attributes();
    assertThat(attributes.get(AttributeKey.stringKey("s"))).isEqualTo("abc");
    assertThat(attributes.get(AttributeKey.stringArrayKey("a"))).containsExactly("123", "x");
    assertThat(attributes.get(AttributeKey.longKey("n"))).isEqualTo(123456L);
  }

  @Test
  void eventAndLinkLimits_dropAndCount() {
    useLimits(SpanLimits.DEFAULT.withMaxEvents(2).withMaxLinks(1).withMaxAttributesPerEvent(1));
    SpanContext linked =
        SpanContext.create(
            "0af7651916cd43dd8448eb211c80319c",
            "b7ad6b7169203331",
            TraceFlags.getSampled(),
            TraceState.getDefault());
    Span span = tracer.spanBuilder("op").addLink(linked).addLink(linked).startSpan();
    span.addLink(linked);
    span.addEvent(
        "e1", Attributes.of(AttributeKey.longKey("a"), 1L, AttributeKey.longKey("b"), 2L));
    span.addEvent("e2").addEvent("e3").addEvent("e4");
    span.end();

    SpanData data = only();
    assertThat(data.events()).extracting(SpanEvent::name).containsExactly("e1", "e2");
    assertThat(data.droppedEventCount()).isEqualTo(2);
    assertThat(data.events().get(0).attributes().size()).isEqualTo(1);
    assertThat(data.events().get(0).droppedAttributeCount()).isEqualTo(1);
    assertThat(data.links()).hasSize(1);
    assertThat(data.droppedLinkCount()).isEqualTo(2);
  }

  @Test
  void negativeLimits_areRejectedWithTheirName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpanLimits.DEFAULT.withMaxEvents(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEvents");
  }

  @Test
  void spanUsedFromManyThreads_keepsEveryAttribute() throws Exception {
    Span span = tracer.spanBuilder("op").startSpan();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int thread = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < 25; i++) {
                  span.setAttribute("t" + thread + "." + i, i);
                }
              });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    span.end();

    assertThat(only().attributeCount()).isEqualTo(100);
  }
}
