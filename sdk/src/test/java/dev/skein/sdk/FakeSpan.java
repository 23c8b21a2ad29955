package dev.skein.sdk;

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

/**
 * An ended span for tests of samplers, processors and exporters: unique ids, a name, the sampled
 * flag, the parent and the status are real; it has no attributes, events or links.
 */
public final class FakeSpan implements SpanData {

  private static final AtomicLong ids = new AtomicLong();
  private static final InstrumentationScope SCOPE = new InstrumentationScope("test", "", "");

  private final long id = ids.incrementAndGet();
  private final String name;
  private final boolean sampled;
  private final long parentSpanId;
  private final boolean remoteParent;
  private final StatusCode status;

  private FakeSpan(
      String name, boolean sampled, long parentSpanId, boolean remoteParent, StatusCode status) {
    this.name = name;
    this.sampled = sampled;
    this.parentSpanId = parentSpanId;
    this.remoteParent = remoteParent;
    this.status = status;
  }

  public static FakeSpan sampled(String name) {
    return new FakeSpan(name, true, 0, false, StatusCode.UNSET);
  }

  public static FakeSpan unsampled(String name) {
    return new FakeSpan(name, false, 0, false, StatusCode.UNSET);
  }

  public static FakeSpan root(String name, StatusCode status) {
    return new FakeSpan(name, true, 0, false, status);
  }

  public static FakeSpan remoteChild(String name, StatusCode status) {
    return new FakeSpan(name, true, 42, true, status);
  }

  public static FakeSpan localChild(String name, StatusCode status) {
    return new FakeSpan(name, true, 42, false, status);
  }

  @Override
  public long traceIdHigh() {
    return 0;
  }

  @Override
  public long traceIdLow() {
    return id;
  }

  @Override
  public long spanId() {
    return id;
  }

  @Override
  public long parentSpanId() {
    return parentSpanId;
  }

  @Override
  public boolean hasRemoteParent() {
    return remoteParent;
  }

  @Override
  public SpanContext spanContext() {
    return SpanContext.create(
        TraceId.fromLongs(0, id),
        SpanId.fromLong(id),
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
    return status;
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
    return "FakeSpan{" + name + "}";
  }
}
