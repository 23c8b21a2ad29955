package dev.skein.sdk;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A span being recorded, and after {@link #end()} the {@link SpanData} that processors and
 * exporters read: there is no copy into a separate data object, because nothing changes once a span
 * ended.
 *
 * <p>The OpenTelemetry API lets any thread touch a span, so mutable state is guarded. A span is
 * almost never contended, so the guard is a one-CAS spin lock rather than a monitor, which on JDK
 * 17 (no biased locking) costs two atomic operations per call.
 */
final class RecordingSpan implements Span, SpanData {

  private static final Logger logger = Logger.getLogger(RecordingSpan.class.getName());
  private static final VarHandle LOCK;

  static {
    try {
      LOCK = MethodHandles.lookup().findVarHandle(RecordingSpan.class, "lock", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final SkeinSpanContext context;
  private final long parentSpanId;
  private final boolean parentRemote;
  private final TracerSharedState shared;
  private final InstrumentationScope scope;
  private final SpanKind kind;
  private final long startEpochNanos;

  @SuppressWarnings("unused") // accessed through LOCK
  private int lock;

  // Guarded by lock while the span runs; read freely once ended.
  private String name;
  private Object[] attributes;
  private int attributeSlotsUsed;
  private int droppedAttributes;
  private List<SpanEvent> events;
  private int droppedEvents;
  private List<SpanLink> links;
  private int droppedLinks;
  private StatusCode status = StatusCode.UNSET;
  private String statusDescription = "";
  private long endEpochNanos;

  /**
   * Written last, under the lock, when the span ends; nothing changes after. Readers that see it
   * set read the other fields without locking, which keeps the export path free of atomics.
   */
  private volatile boolean ended;

  RecordingSpan(
      SkeinSpanContext context,
      SkeinSpanContext parent,
      TracerSharedState shared,
      InstrumentationScope scope,
      String name,
      SpanKind kind,
      long startEpochNanos,
      Object[] attributes,
      int attributeSlotsUsed,
      int droppedAttributes,
      List<SpanLink> links,
      int droppedLinks) {
    this.context = context;
    this.parentSpanId = parent == null ? 0 : parent.spanId;
    this.parentRemote = parent != null && parent.isRemote();
    this.shared = shared;
    this.scope = scope;
    this.name = name;
    this.kind = kind;
    this.startEpochNanos = startEpochNanos;
    this.attributes = attributes;
    this.attributeSlotsUsed = attributeSlotsUsed;
    this.droppedAttributes = droppedAttributes;
    this.links = links;
    this.droppedLinks = droppedLinks;
  }

  private void lock() {
    if (!LOCK.compareAndSet(this, 0, 1)) {
      lockContended();
    }
  }

  private void lockContended() {
    int spins = 0;
    while (!LOCK.compareAndSet(this, 0, 1)) {
      if (++spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  private void unlock() {
    LOCK.setRelease(this, 0);
  }

  // ---- Span: attributes

  @Override
  public Span setAttribute(String key, String value) {
    return put(key, key, value);
  }

  @Override
  public Span setAttribute(String key, long value) {
    return put(key, key, value);
  }

  @Override
  public Span setAttribute(String key, double value) {
    return put(key, key, value);
  }

  @Override
  public Span setAttribute(String key, boolean value) {
    return put(key, key, value);
  }

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    return key == null ? this : put(key, key.getKey(), value);
  }

  @Override
  public Span setAllAttributes(Attributes attributes) {
    if (attributes != null) {
      attributes.forEach(this::putUnchecked);
    }
    return this;
  }

  @SuppressWarnings("unchecked")
  private void putUnchecked(AttributeKey<?> key, Object value) {
    setAttribute((AttributeKey<Object>) key, value);
  }

  /** Adds or replaces one attribute; {@code key} is the slot key, {@code keyName} its name. */
  private Span put(Object key, String keyName, Object value) {
    if (keyName == null || keyName.isEmpty() || value == null) {
      return this;
    }
    SpanLimits limits = shared.limits;
    value = AttributeSlots.truncate(value, limits.maxAttributeValueLength());
    lock();
    try {
      if (ended) {
        logEndedSpanUse("setAttribute");
        return this;
      }
      Object[] slots = attributes;
      int used = attributeSlotsUsed;
      int existing = slots == null ? -1 : AttributeSlots.indexOf(slots, used, keyName);
      if (existing >= 0) {
        slots[existing] = key;
        slots[existing + 1] = value;
      } else if (used / 2 >= limits.maxAttributes()) {
        droppedAttributes++;
      } else {
        if (slots == null) {
          slots = attributes = new Object[8];
        } else if (used == slots.length) {
          slots = attributes = Arrays.copyOf(slots, used * 2);
        }
        slots[used] = key;
        slots[used + 1] = value;
        attributeSlotsUsed = used + 2;
      }
    } finally {
      unlock();
    }
    return this;
  }

  // ---- Span: events, status, links, name

  @Override
  public Span addEvent(String name) {
    return addEvent(name, Attributes.empty());
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    return recordEvent(name, attributes, shared.clock.now());
  }

  @Override
  public Span addEvent(String name, long timestamp, TimeUnit unit) {
    return addEvent(name, Attributes.empty(), timestamp, unit);
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    long epochNanos = unit == null ? shared.clock.now() : unit.toNanos(timestamp);
    return recordEvent(name, attributes, epochNanos);
  }

  @Override
  public Span recordException(Throwable exception) {
    return recordException(exception, Attributes.empty());
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    if (exception == null) {
      return this;
    }
    StringWriter stackTrace = new StringWriter();
    exception.printStackTrace(new PrintWriter(stackTrace));
    AttributesBuilder builder =
        Attributes.builder()
            .put("exception.type", exception.getClass().getName())
            .put("exception.stacktrace", stackTrace.toString());
    if (exception.getMessage() != null) {
      builder.put("exception.message", exception.getMessage());
    }
    if (additionalAttributes != null) {
      builder.putAll(additionalAttributes);
    }
    return recordEvent("exception", builder.build(), shared.clock.now());
  }

  private Span recordEvent(String eventName, Attributes eventAttributes, long epochNanos) {
    if (eventName == null) {
      return this;
    }
    if (eventAttributes == null) {
      eventAttributes = Attributes.empty();
    }
    SpanLimits limits = shared.limits;
    Attributes kept =
        AttributeSlots.limit(
            eventAttributes, limits.maxAttributesPerEvent(), limits.maxAttributeValueLength());
    SpanEvent event =
        new SpanEvent(eventName, epochNanos, kept, eventAttributes.size() - kept.size());
    lock();
    try {
      if (ended) {
        logEndedSpanUse("addEvent");
      } else if (events != null && events.size() >= limits.maxEvents() || limits.maxEvents() == 0) {
        droppedEvents++;
      } else {
        if (events == null) {
          events = new ArrayList<>(4);
        }
        events.add(event);
      }
    } finally {
      unlock();
    }
    return this;
  }

  @Override
  public Span setStatus(StatusCode statusCode) {
    return setStatus(statusCode, "");
  }

  @Override
  public Span setStatus(StatusCode statusCode, String description) {
    // UNSET never overrides, and OK is final: the OpenTelemetry status rules.
    if (statusCode == null || statusCode == StatusCode.UNSET) {
      return this;
    }
    lock();
    try {
      if (ended) {
        logEndedSpanUse("setStatus");
      } else if (status != StatusCode.OK) {
        status = statusCode;
        statusDescription =
            statusCode == StatusCode.ERROR && description != null ? description : "";
      }
    } finally {
      unlock();
    }
    return this;
  }

  @Override
  public Span updateName(String newName) {
    if (newName == null) {
      return this;
    }
    lock();
    try {
      if (ended) {
        logEndedSpanUse("updateName");
      } else {
        name = newName;
      }
    } finally {
      unlock();
    }
    return this;
  }

  @Override
  public Span addLink(SpanContext linked) {
    return addLink(linked, Attributes.empty());
  }

  @Override
  public Span addLink(SpanContext linked, Attributes linkAttributes) {
    if (linked == null || !linked.isValid()) {
      return this;
    }
    SpanLink link = newLink(linked, linkAttributes, shared.limits);
    lock();
    try {
      if (ended) {
        logEndedSpanUse("addLink");
      } else if (links != null && links.size() >= shared.limits.maxLinks()
          || shared.limits.maxLinks() == 0) {
        droppedLinks++;
      } else {
        if (links == null) {
          links = new ArrayList<>(2);
        }
        links.add(link);
      }
    } finally {
      unlock();
    }
    return this;
  }

  static SpanLink newLink(SpanContext linked, Attributes linkAttributes, SpanLimits limits) {
    if (linkAttributes == null) {
      linkAttributes = Attributes.empty();
    }
    Attributes kept =
        AttributeSlots.limit(
            linkAttributes, limits.maxAttributesPerLink(), limits.maxAttributeValueLength());
    return new SpanLink(linked, kept, linkAttributes.size() - kept.size());
  }

  // ---- Span: end

  @Override
  public void end() {
    endAt(shared.clock.now());
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    endAt(unit == null ? shared.clock.now() : unit.toNanos(timestamp));
  }

  private void endAt(long epochNanos) {
    lock();
    try {
      if (ended) {
        logEndedSpanUse("end");
        return;
      }
      // Two readings of a clock that may re-anchor between them must not make a negative duration.
      endEpochNanos = Math.max(epochNanos, startEpochNanos);
      ended = true;
    } finally {
      unlock();
    }
    for (SpanProcessor processor : shared.endProcessors) {
      try {
        processor.onEnd(this);
      } catch (RuntimeException e) {
        logger.log(Level.WARNING, "span processor " + processor + " failed on end", e);
      }
    }
    if (shared.samplerNeedsEnd && isSampled()) {
      shared.sampler.onEnd(this);
    }
  }

  private void logEndedSpanUse(String operation) {
    if (logger.isLoggable(Level.FINE)) {
      logger.fine(operation + " called on span '" + name + "' after it ended; ignored");
    }
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public boolean isRecording() {
    return !hasEnded();
  }

  // ---- SpanData

  @Override
  public long traceIdHigh() {
    return context.traceIdHigh;
  }

  @Override
  public long traceIdLow() {
    return context.traceIdLow;
  }

  @Override
  public long spanId() {
    return context.spanId;
  }

  @Override
  public long parentSpanId() {
    return parentSpanId;
  }

  @Override
  public boolean hasRemoteParent() {
    return parentRemote;
  }

  @Override
  public SpanContext spanContext() {
    return context;
  }

  @Override
  public boolean isSampled() {
    return context.isSampled();
  }

  @Override
  public String name() {
    if (ended) {
      return name;
    }
    lock();
    try {
      return name;
    } finally {
      unlock();
    }
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
    return shared.resource;
  }

  @Override
  public long startEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public long endEpochNanos() {
    return ended ? endEpochNanos : 0;
  }

  @Override
  public boolean hasEnded() {
    return ended;
  }

  @Override
  public int attributeCount() {
    if (ended) {
      return attributeSlotsUsed / 2;
    }
    lock();
    try {
      return attributeSlotsUsed / 2;
    } finally {
      unlock();
    }
  }

  @Override
  public String attributeKey(int index) {
    return AttributeSlots.keyName(slot(2 * index));
  }

  @Override
  public AttributeType attributeType(int index) {
    return AttributeSlots.type(slot(2 * index), slot(2 * index + 1));
  }

  @Override
  public Object attributeValue(int index) {
    return slot(2 * index + 1);
  }

  private Object slot(int slotIndex) {
    if (ended) {
      checkSlot(slotIndex);
      return attributes[slotIndex];
    }
    lock();
    try {
      checkSlot(slotIndex);
      return attributes[slotIndex];
    } finally {
      unlock();
    }
  }

  private void checkSlot(int slotIndex) {
    if (slotIndex < 0 || slotIndex >= attributeSlotsUsed) {
      throw new IndexOutOfBoundsException(
          "attribute "
              + slotIndex / 2
              + " of "
              + attributeSlotsUsed / 2
              + " in span '"
              + name
              + "'");
    }
  }

  @Override
  public Attributes attributes() {
    if (ended) {
      return AttributeSlots.toAttributes(attributes, attributeSlotsUsed);
    }
    lock();
    try {
      return AttributeSlots.toAttributes(attributes, attributeSlotsUsed);
    } finally {
      unlock();
    }
  }

  @Override
  public List<SpanEvent> events() {
    if (ended) {
      return events == null ? List.of() : Collections.unmodifiableList(events);
    }
    lock();
    try {
      return events == null ? List.of() : List.copyOf(events);
    } finally {
      unlock();
    }
  }

  @Override
  public List<SpanLink> links() {
    if (ended) {
      return links == null ? List.of() : Collections.unmodifiableList(links);
    }
    lock();
    try {
      return links == null ? List.of() : List.copyOf(links);
    } finally {
      unlock();
    }
  }

  @Override
  public StatusCode statusCode() {
    if (ended) {
      return status;
    }
    lock();
    try {
      return status;
    } finally {
      unlock();
    }
  }

  @Override
  public String statusDescription() {
    if (ended) {
      return statusDescription;
    }
    lock();
    try {
      return statusDescription;
    } finally {
      unlock();
    }
  }

  // Dropped counts only matter to exporters, which see ended spans.
  @Override
  public int droppedAttributeCount() {
    return ended ? droppedAttributes : 0;
  }

  @Override
  public int droppedEventCount() {
    return ended ? droppedEvents : 0;
  }

  @Override
  public int droppedLinkCount() {
    return ended ? droppedLinks : 0;
  }

  @Override
  public String toString() {
    return "RecordingSpan{name=" + name() + ", context=" + context + "}";
  }
}
