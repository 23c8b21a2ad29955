package dev.skein.exporter.zipkin;

import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import dev.skein.sdk.SpanLink;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import java.util.ArrayList;
import java.util.List;

/**
 * An ended span whose every field a test sets, for the cases the SDK never produces on its own (no
 * service name, dropped counts, sub-microsecond spans, all-zero ids).
 */
final class TestSpan implements SpanData {

  static final long START = 1_700_000_000_123_456_789L;

  long traceIdHigh = 0x0af7651916cd43ddL;
  long traceIdLow = 0x8448eb211c80319cL;
  long spanId = 0xb7ad6b7169203331L;
  long parentSpanId;
  boolean remoteParent;
  String name = "get /orders";
  SpanKind kind = SpanKind.INTERNAL;
  InstrumentationScope scope = new InstrumentationScope("", "", "");
  Attributes resource = Attributes.of(AttributeKey.stringKey("service.name"), "checkout");
  long startEpochNanos = START;
  long endEpochNanos = START + 2_500_000;
  final List<String> keys = new ArrayList<>();
  final List<Object> values = new ArrayList<>();
  final List<SpanEvent> events = new ArrayList<>();
  StatusCode status = StatusCode.UNSET;
  String statusDescription = "";
  int droppedAttributes;
  int droppedEvents;
  int droppedLinks;

  /** Adds an attribute: a String, Long, Double, Boolean or a List of one of those. */
  TestSpan attribute(String key, Object value) {
    keys.add(key);
    values.add(value);
    return this;
  }

  TestSpan event(String name, long epochNanos, Attributes attributes) {
    events.add(new SpanEvent(name, epochNanos, attributes, 0));
    return this;
  }

  @Override
  public long traceIdHigh() {
    return traceIdHigh;
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
    return parentSpanId;
  }

  @Override
  public boolean hasRemoteParent() {
    return remoteParent;
  }

  @Override
  public SpanContext spanContext() {
    return SpanContext.create(
        TraceId.fromLongs(traceIdHigh, traceIdLow),
        SpanId.fromLong(spanId),
        TraceFlags.getSampled(),
        TraceState.getDefault());
  }

  @Override
  public boolean isSampled() {
    return true;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SpanKind kind() {
    return kind;
  }

  @Override
  public InstrumentationScope scope() {
    return scope;
  }

  @Override
  public Attributes resource() {
    return resource;
  }

  @Override
  public long startEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public long endEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int attributeCount() {
    return keys.size();
  }

  @Override
  public String attributeKey(int index) {
    return keys.get(index);
  }

  @Override
  public AttributeType attributeType(int index) {
    Object value = values.get(index);
    Object sample = value instanceof List<?> list && !list.isEmpty() ? list.get(0) : value;
    boolean array = value instanceof List<?>;
    if (sample instanceof Long) {
      return array ? AttributeType.LONG_ARRAY : AttributeType.LONG;
    }
    if (sample instanceof Double) {
      return array ? AttributeType.DOUBLE_ARRAY : AttributeType.DOUBLE;
    }
    if (sample instanceof Boolean) {
      return array ? AttributeType.BOOLEAN_ARRAY : AttributeType.BOOLEAN;
    }
    return array ? AttributeType.STRING_ARRAY : AttributeType.STRING;
  }

  @Override
  public Object attributeValue(int index) {
    return values.get(index);
  }

  @Override
  public Attributes attributes() {
    AttributesBuilder builder = Attributes.builder();
    for (int i = 0; i < keys.size(); i++) {
      builder.put(keys.get(i), String.valueOf(values.get(i)));
    }
    return builder.build();
  }

  @Override
  public List<SpanEvent> events() {
    return events;
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
    return statusDescription;
  }

  @Override
  public int droppedAttributeCount() {
    return droppedAttributes;
  }

  @Override
  public int droppedEventCount() {
    return droppedEvents;
  }

  @Override
  public int droppedLinkCount() {
    return droppedLinks;
  }
}
