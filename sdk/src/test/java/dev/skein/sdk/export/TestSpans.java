package dev.skein.sdk.export;

import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import dev.skein.sdk.SpanLink;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Ended spans for processor and exporter tests; only ids, name and the sampled flag are real. */
final class TestSpans implements SpanData {

  private static final AtomicLong ids = new AtomicLong();
  private static final InstrumentationScope SCOPE = new InstrumentationScope("test", "", "");

  private final long traceIdLow;
  private final long spanId;
  private final String name;
  private final boolean sampled;

  private TestSpans(String name, boolean sampled) {
    long id = ids.incrementAndGet();
    this.traceIdLow = id;
    this.spanId = id;
    this.name = name;
    this.sampled = sampled;
  }

  static SpanData sampled(String name) {
    return new TestSpans(name, true);
  }

  static SpanData unsampled(String name) {
    return new TestSpans(name, false);
  }

  @Override
  public long traceIdHigh() {
    return 0;
  }

  @Override
  public long traceIdLow() {
    return traceIdLow;
  }

  @Override
  public long spanId() {
    return spanId;
  }

  @Override
  public long parentSpanId() {
    return 0;
  }

  @Override
  public boolean hasRemoteParent() {
    return false;
  }

  @Override
  public SpanContext spanContext() {
    return SpanContext.create(
        TraceId.fromLongs(0, traceIdLow),
        SpanId.fromLong(spanId),
        sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.getDefault());
  }

  @Override
  public boolean isSampled() {
    return sampled;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SpanKind kind() {
    return SpanKind.INTERNAL;
  }

  @Override
  public InstrumentationScope scope() {
    return SCOPE;
  }

  @Override
  public Attributes resource() {
    return Attributes.empty();
  }

  @Override
  public long startEpochNanos() {
    return 1;
  }

  @Override
  public long endEpochNanos() {
    return 2;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int attributeCount() {
    return 0;
  }

  @Override
  public String attributeKey(int index) {
    throw new IndexOutOfBoundsException(index);
  }

  @Override
  public AttributeType attributeType(int index) {
    throw new IndexOutOfBoundsException(index);
  }

  @Override
  public Object attributeValue(int index) {
    throw new IndexOutOfBoundsException(index);
  }

  @Override
  public Attributes attributes() {
    return Attributes.empty();
  }

  @Override
  public List<SpanEvent> events() {
    return List.of();
  }

  @Override
  public List<SpanLink> links() {
    return List.of();
  }

  @Override
  public StatusCode statusCode() {
    return StatusCode.UNSET;
  }

  @Override
  public String statusDescription() {
    return "";
  }

  @Override
  public int droppedAttributeCount() {
    return 0;
  }

  @Override
  public int droppedEventCount() {
    return 0;
  }

  @Override
  public int droppedLinkCount() {
    return 0;
  }

  @Override
  public String toString() {
    return name + "#" + spanId;
  }
}
