package dev.skein.sdk;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;

/** A causal link from a span to another span, in this trace or another. */
public record SpanLink(SpanContext context, Attributes attributes, int droppedAttributeCount) {}
