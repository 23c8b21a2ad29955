package dev.skein.storage;

import java.util.List;

/** A link from a span to a span of possibly another trace (Jaeger's FOLLOWS_FROM reference). */
public record SpanLink(
    TraceId traceId, long spanId, String traceState, List<Attribute> attributes) {
  public SpanLink {
    attributes = List.copyOf(attributes);
  }
}
