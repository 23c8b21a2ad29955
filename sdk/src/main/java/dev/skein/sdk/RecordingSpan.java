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
 * almost never contended, so the guard is a spin lock taken with one CAS and released with a plain
 * store, where a monitor on JDK 17 (no biased locking) costs two atomic operations. The lock word's
 * third state, ended, replaces a volatile flag whose write would cost a full fence per span.
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

  /**
   * {@link #RUNNING}, {@link #LOCKED} while a thread changes or reads the span, {@link #ENDED} for
   * good once it ended. Ending is the release store of ENDED, so a reader that sees ENDED sees
   * every field as it was at the end, without a lock and without a fence on the writer's side.
   */
  @SuppressWarnings("unused") // accessed through LOCK
  private int lock;

  private static final int RUNNING = 0;
  private static final int LOCKED = 1;
  private static final int ENDED = 2;

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

  RecordingSpan(
      SkeinSpanContext context,
      long parentSpanId,
      boolean parentRemote,
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
    this.parentSpanId = parentSpanId;
    this.parentRemote = parentRemote;
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

  /**
   * Takes the lock while the span runs. Returns false, without locking, once it has ended: from
   * then on nothing changes and every field may be read freely.
   */
  private boolean lockIfRunning() {
    if (LOCK.compareAndSet(this, RUNNING, LOCKED)) {
      return true;
    }
    int spins = 0;
    while (true) {
      int state = (int) LOCK.getAcquire(this);
      if (state == ENDED) {
        return false;
      }
      if (state == RUNNING && LOCK.compareAndSet(this, RUNNING, LOCKED)) {
        return true;
      }
      if (++spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /**
   * {@link #lockIfRunning} for the read accessors. Exporters read ended spans, about twenty
   * accessor calls per span, and a CAS that fails costs as much as one that succeeds: look first.
   */
  private boolean lockForRead() {
    return !ended() && lockIfRunning();
  }

  private void unlock() {
    LOCK.setRelease(this, RUNNING);
  }

  private boolean ended() {
    return (int) LOCK.getAcquire(this) == ENDED;
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
    if (!lockIfRunning()) {
      logEndedSpanUse("setAttribute");
      return this;
    }
    try {
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
    if (!lockIfRunning()) {
      logEndedSpanUse("addEvent");
      return this;
    }
    try {
      if (events != null && events.size() >= limits.maxEvents() || limits.maxEvents() == 0) {
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
    if (!lockIfRunning()) {
      logEndedSpanUse("setStatus");
      return this;
    }
    try {
      if (status != StatusCode.OK) {
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
    if (!lockIfRunning()) {
      logEndedSpanUse("updateName");
      return this;
    }
    try {
      name = newName;
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
    if (!lockIfRunning()) {
      logEndedSpanUse("addLink");
      return this;
    }
    try {
      if (links != null && links.size() >= shared.limits.maxLinks()
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
    if (!lockIfRunning()) {
      logEndedSpanUse("end");
      return;
    }
    // Two readings of a clock that may re-anchor between them must not make a negative duration.
    endEpochNanos = Math.max(epochNanos, startEpochNanos);
    LOCK.setRelease(this, ENDED);
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
    if (!lockForRead()) {
      return name;
    }
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
    return ended() ? endEpochNanos : 0;
  }

  @Override
  public boolean hasEnded() {
    return ended();
  }

  @Override
  public int attributeCount() {
    if (!lockForRead()) {
      return attributeSlotsUsed / 2;
    }
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
    if (!lockForRead()) {
      checkSlot(slotIndex);
      return attributes[slotIndex];
    }
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
    if (!lockForRead()) {
      return AttributeSlots.toAttributes(attributes, attributeSlotsUsed);
    }
    try {
      return AttributeSlots.toAttributes(attributes, attributeSlotsUsed);
    } finally {
      unlock();
    }
  }

  @Override
  public List<SpanEvent> events() {
    if (!lockForRead()) {
      return events == null ? List.of() : Collections.unmodifiableList(events);
    }
    try {
      return events == null ? List.of() : List.copyOf(events);
    } finally {
      unlock();
    }
  }

  @Override
  public List<SpanLink> links() {
    if (!lockForRead()) {
      return links == null ? List.of() : Collections.unmodifiableList(links);
    }
    try {
      return links == null ? List.of() : List.copyOf(links);
    } finally {
      unlock();
    }
  }

  @Override
  public StatusCode statusCode() {
    if (!lockForRead()) {
      return status;
    }
    try {
      return status;
    } finally {
      unlock();
    }
  }

  @Override
  public String statusDescription() {
    if (!lockForRead()) {
      return statusDescription;
    }
    try {
      return statusDescription;
    } finally {
      unlock();
    }
  }

  // Dropped counts only matter to exporters, which see ended spans.
  @Override
  public int droppedAttributeCount() {
    return ended() ? droppedAttributes : 0;
  }

  @Override
  public int droppedEventCount() {
    return ended() ? droppedEvents : 0;
  }

  @Override
  public int droppedLinkCount() {
    return ended() ? droppedLinks : 0;
  }

  @Override
  public String toString() {
    return "RecordingSpan{name=" + name() + ", context=" + context + "}";
  }
}
