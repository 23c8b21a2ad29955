package dev.skein.sdk;

import io.opentelemetry.api.common.Attributes;

/** Something that happened at one instant during a span. */
public record SpanEvent(
    String name, long epochNanos, Attributes attributes, int droppedAttributeCount) {}
