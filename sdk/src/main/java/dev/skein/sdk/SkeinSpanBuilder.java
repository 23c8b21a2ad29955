package dev.skein.sdk;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Collects a span's start options, then asks the sampler. Small and short-lived so that the JIT can
 * keep it off the heap when the span is dropped.
 */
final class SkeinSpanBuilder implements SpanBuilder {

  private final SkeinTracer tracer;
  private final String name;
  private Context parent;
  private boolean noParent;
  private SpanKind kind = SpanKind.INTERNAL;
  private Object[] attributes;
  private int attributeSlotsUsed;
  private int droppedAttributes;
  private List<SpanLink> links;
  private int droppedLinks;
  private long startEpochNanos;

  /** Set once a span took this builder's attributes and links, which later spans must copy. */
  private boolean handedOver;

  SkeinSpanBuilder(SkeinTracer tracer, String name) {
    this.tracer = tracer;
    this.name = name;
  }

  @Override
  public SpanBuilder setParent(Context context) {
    if (context != null) {
      parent = context;
      noParent = false;
    }
    return this;
  }

  @Override
  public SpanBuilder setNoParent() {
    noParent = true;
    parent = null;
    return this;
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext) {
    return addLink(spanContext, Attributes.empty());
  }

  @Override
  public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) {
    if (spanContext == null || !spanContext.isValid()) {
      return this;
    }
    SpanLimits limits = tracer.shared.limits;
    if (links != null && links.size() >= limits.maxLinks() || limits.maxLinks() == 0) {
      droppedLinks++;
      return this;
    }
    if (links == null) {
      links = new ArrayList<>(2);
    }
    links.add(RecordingSpan.newLink(spanContext, attributes, limits));
    return this;
  }

  @Override
  public SpanBuilder setAttribute(String key, String value) {
    return put(key, key, value);
  }

  @Override
  public SpanBuilder setAttribute(String key, long value) {
    return put(key, key, value);
  }

  @Override
  public SpanBuilder setAttribute(String key, double value) {
    return put(key, key, value);
  }

  @Override
  public SpanBuilder setAttribute(String key, boolean value) {
    return put(key, key, value);
  }

  @Override
  public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
    return key == null ? this : put(key, key.getKey(), value);
  }

  private SpanBuilder put(Object key, String keyName, Object value) {
    if (keyName == null || keyName.isEmpty() || value == null) {
      return this;
    }
    SpanLimits limits = tracer.shared.limits;
    value = AttributeSlots.truncate(value, limits.maxAttributeValueLength());
    int existing =
        attributes == null ? -1 : AttributeSlots.indexOf(attributes, attributeSlotsUsed, keyName);
    if (existing >= 0) {
      attributes[existing] = key;
      attributes[existing + 1] = value;
    } else if (attributeSlotsUsed / 2 >= limits.maxAttributes()) {
      droppedAttributes++;
    } else {
      if (attributes == null) {
        attributes = new Object[8];
      } else if (attributeSlotsUsed == attributes.length) {
        attributes = Arrays.copyOf(attributes, attributeSlotsUsed * 2);
      }
      attributes[attributeSlotsUsed++] = key;
      attributes[attributeSlotsUsed++] = value;
    }
    return this;
  }

  @Override
  public SpanBuilder setSpanKind(SpanKind spanKind) {
    if (spanKind != null) {
      kind = spanKind;
    }
    return this;
  }

  @Override
  public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
    if (startTimestamp > 0 && unit != null) {
      startEpochNanos = unit.toNanos(startTimestamp);
    }
    return this;
  }

  /**
   * Hands every option to {@link SkeinTracer#startSpan} instead of passing {@code this}: a method
   * this small is inlined into the caller, the builder never escapes, and the JIT can drop its
   * allocation, which for an unsampled span is most of the cost.
   */
  @Override
  public Span startSpan() {
    Context parentContext = noParent ? Context.root() : parent == null ? Context.current() : parent;
    if (handedOver) {
      // A builder may start several spans; each must own its attributes and links.
      attributes = attributes == null ? null : attributes.clone();
      links = links == null ? null : new ArrayList<>(links);
    }
    handedOver = true;
    return tracer.startSpan(
        parentContext,
        name,
        kind,
        attributes,
        attributeSlotsUsed,
        droppedAttributes,
        links,
        droppedLinks,
        startEpochNanos);
  }
}
