package dev.skein.sdk;

import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;

/**
 * A read-only view of a recorded span, as span processors and exporters see it.
 *
 * <p>Ids are kept as longs so exporters can write them in binary or hex without going through
 * strings; {@link #spanContext()} gives the OpenTelemetry view when hex strings are wanted. Once
 * {@link #hasEnded()} is true the view never changes, so exporters may keep it without copying.
 *
 * <p>Attributes are read by index ({@link #attributeKey(int)}, {@link #attributeValue(int)}) to
 * avoid building an {@link Attributes} per span on the export path; {@link #attributes()} builds
 * one for convenience.
 */
public interface SpanData {

  /** The high 8 bytes of the 16-byte trace id. */
  long traceIdHigh();

  /** The low 8 bytes of the 16-byte trace id. */
  long traceIdLow();

  long spanId();

  /** The parent's span id, or 0 for a root span. */
  long parentSpanId();

  /** Whether the parent came from another process (extracted from a request). */
  boolean hasRemoteParent();

  SpanContext spanContext();

  boolean isSampled();

  String name();

  SpanKind kind();

  InstrumentationScope scope();

  /** The attributes of the process that recorded the span (service name and so on). */
  Attributes resource();

  long startEpochNanos();

  /** The end time, or 0 while the span is running. */
  long endEpochNanos();

  boolean hasEnded();

  int attributeCount();

  String attributeKey(int index);

  AttributeType attributeType(int index);

  /**
   * The value at {@code index}: a {@link String}, {@link Long}, {@link Double}, {@link Boolean}, or
   * a {@link List} of those for the array types.
   */
  Object attributeValue(int index);

  /** The attributes as an {@link Attributes}; built on each call. */
  Attributes attributes();

  List<SpanEvent> events();

  List<SpanLink> links();

  StatusCode statusCode();

  /** The description given with an error status, or the empty string. */
  String statusDescription();

  int droppedAttributeCount();

  int droppedEventCount();

  int droppedLinkCount();
}
