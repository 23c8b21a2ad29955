package dev.skein.storage;

import java.util.List;

/** A timestamped event in a span (a Zipkin annotation, a Jaeger log). */
public record SpanEvent(long epochNanos, String name, List<Attribute> attributes) {
  public SpanEvent {
    attributes = List.copyOf(attributes);
  }
}
