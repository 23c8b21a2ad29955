package dev.skein.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A finished span as the server keeps it, whichever protocol brought it. Times are nanoseconds
 * since the epoch. Immutable; build one with {@link #builder()}.
 */
public final class Span {

  /** What the span describes, as in OpenTelemetry (Zipkin and Jaeger map onto it). */
  public enum Kind {
    UNSPECIFIED,
    INTERNAL,
    SERVER,
    CLIENT,
    PRODUCER,
    CONSUMER
  }

  /** The span's status, as in OpenTelemetry. */
  public enum Status {
    UNSET,
    OK,
    ERROR
  }

  /** The resource attribute that names the service. */
  public static final String SERVICE_NAME = "service.name";

  /** The span attribute that names the remote service (Zipkin's remote endpoint). */
  public static final String PEER_SERVICE = "peer.service";

  private final TraceId traceId;
  private final long spanId;
  private final long parentSpanId;
  private final String service;
  private final String name;
  private final Kind kind;
  private final long startEpochNanos;
  private final long durationNanos;
  private final Status status;
  private final String statusMessage;
  private final List<Attribute> attributes;
  private final List<Attribute> resource;
  private final String scopeName;
  private final String scopeVersion;
  private final List<SpanEvent> events;
  private final List<SpanLink> links;
  private final String traceState;
  private final int flags;

  private Span(Builder b) {
    traceId = Objects.requireNonNull(b.traceId, "traceId");
    if (b.spanId == 0) {
      throw new IllegalArgumentException("span id must not be zero");
    }
    if (b.parentSpanId == b.spanId) {
      throw new IllegalArgumentException("span is its own parent");
    }
    if (b.durationNanos < 0) {
      throw new IllegalArgumentException("duration must not be negative");
    }
    spanId = b.spanId;
    parentSpanId = b.parentSpanId;
    service = b.service;
    name = b.name;
    kind = b.kind;
    startEpochNanos = b.startEpochNanos;
    durationNanos = b.durationNanos;
    status = b.status;
    statusMessage = b.statusMessage;
    attributes = List.copyOf(b.attributes);
    resource = List.copyOf(b.resource);
    scopeName = b.scopeName;
    scopeVersion = b.scopeVersion;
    events = List.copyOf(b.events);
    links = List.copyOf(b.links);
    traceState = b.traceState;
    flags = b.flags;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this span's values, to derive a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.traceId = traceId;
    b.spanId = spanId;
    b.parentSpanId = parentSpanId;
    b.service = service;
    b.name = name;
    b.kind = kind;
    b.startEpochNanos = startEpochNanos;
    b.durationNanos = durationNanos;
    b.status = status;
    b.statusMessage = statusMessage;
    b.attributes.addAll(attributes);
    b.resource.addAll(resource);
    b.scopeName = scopeName;
    b.scopeVersion = scopeVersion;
    b.events.addAll(events);
    b.links.addAll(links);
    b.traceState = traceState;
    b.flags = flags;
    return b;
  }

  public TraceId traceId() {
    return traceId;
  }

  public long spanId() {
    return spanId;
  }

  /** The parent's span id, 0 for a root span. */
  public long parentSpanId() {
    return parentSpanId;
  }

  public boolean isRoot() {
    return parentSpanId == 0;
  }

  /** The resource's {@code service.name}; never null ({@code unknown_service} when absent). */
  public String service() {
    return service;
  }

  /** The operation name; never null, may be empty. */
  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public long startEpochNanos() {
    return startEpochNanos;
  }

  public long durationNanos() {
    return durationNanos;
  }

  public long endEpochNanos() {
    return startEpochNanos + durationNanos;
  }

  public Status status() {
    return status;
  }

  /** Never null, may be empty. */
  public String statusMessage() {
    return statusMessage;
  }

  /** True if the status is ERROR, or (Zipkin, Jaeger) an {@code error} tag says so. */
  public boolean isError() {
    if (status == Status.ERROR) {
      return true;
    }
    for (Attribute attribute : attributes) {
      if (attribute.key().equals("error")) {
        Object value = attribute.value();
        return !(Boolean.FALSE.equals(value) || "false".equals(value));
      }
    }
    return false;
  }

  /** The span's own attributes (tags), in arrival order. */
  public List<Attribute> attributes() {
    return attributes;
  }

  /** The resource's attributes other than {@code service.name}. */
  public List<Attribute> resource() {
    return resource;
  }

  /** The first attribute with this key, among the span's and then the resource's; or null. */
  public Attribute attribute(String key) {
    for (Attribute attribute : attributes) {
      if (attribute.key().equals(key)) {
        return attribute;
      }
    }
    for (Attribute attribute : resource) {
      if (attribute.key().equals(key)) {
        return attribute;
      }
    }
    return null;
  }

  /** {@code peer.service}, which Zipkin calls the remote endpoint's service name; or null. */
  public String remoteService() {
    for (Attribute attribute : attributes) {
      if (attribute.key().equals(PEER_SERVICE) && attribute.value() instanceof String s) {
        return s;
      }
    }
    return null;
  }

  /** Instrumentation scope name; never null, may be empty. */
  public String scopeName() {
    return scopeName;
  }

  /** Never null, may be empty. */
  public String scopeVersion() {
    return scopeVersion;
  }

  public List<SpanEvent> events() {
    return events;
  }

  public List<SpanLink> links() {
    return links;
  }

  /** W3C tracestate; never null, may be empty. */
  public String traceState() {
    return traceState;
  }

  /** OTLP span flags (W3C trace flags in the low byte). */
  public int flags() {
    return flags;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Span other)) {
      return false;
    }
    return spanId == other.spanId
        && parentSpanId == other.parentSpanId
        && startEpochNanos == other.startEpochNanos
        && durationNanos == other.durationNanos
        && flags == other.flags
        && traceId.equals(other.traceId)
        && service.equals(other.service)
        && name.equals(other.name)
        && kind == other.kind
        && status == other.status
        && statusMessage.equals(other.statusMessage)
        && attributes.equals(other.attributes)
        && resource.equals(other.resource)
        && scopeName.equals(other.scopeName)
        && scopeVersion.equals(other.scopeVersion)
        && events.equals(other.events)
        && links.equals(other.links)
        && traceState.equals(other.traceState);
  }

  @Override
  public int hashCode() {
    return Objects.hash(traceId, spanId, startEpochNanos);
  }

  @Override
  public String toString() {
    return "Span{"
        + traceId
        + "/"
        + Hex.toHex(spanId)
        + (parentSpanId != 0 ? " parent " + Hex.toHex(parentSpanId) : "")
        + " "
        + service
        + " "
        + name
        + " "
        + kind
        + " "
        + durationNanos
        + "ns}";
  }

  /** Builds a {@link Span}; trace id and a non-zero span id are required. */
  public static final class Builder {
    private TraceId traceId;
    private long spanId;
    private long parentSpanId;
    private String service = "unknown_service";
    private String name = "";
    private Kind kind = Kind.UNSPECIFIED;
    private long startEpochNanos;
    private long durationNanos;
    private Status status = Status.UNSET;
    private String statusMessage = "";
    private final List<Attribute> attributes = new ArrayList<>();
    private final List<Attribute> resource = new ArrayList<>();
    private String scopeName = "";
    private String scopeVersion = "";
    private final List<SpanEvent> events = new ArrayList<>();
    private final List<SpanLink> links = new ArrayList<>();
    private String traceState = "";
    private int flags;

    private Builder() {}

    public Builder traceId(TraceId traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder spanId(long spanId) {
      this.spanId = spanId;
      return this;
    }

    public Builder parentSpanId(long parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder kind(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder durationNanos(long durationNanos) {
      this.durationNanos = durationNanos;
      return this;
    }

    public Builder status(Status status, String message) {
      this.status = Objects.requireNonNull(status, "status");
      this.statusMessage = message == null ? "" : message;
      return this;
    }

    public Builder addAttribute(Attribute attribute) {
      attributes.add(Objects.requireNonNull(attribute, "attribute"));
      return this;
    }

    public Builder addAttribute(String key, Object value) {
      return addAttribute(new Attribute(key, value));
    }

    public Builder clearAttributes() {
      attributes.clear();
      return this;
    }

    /** A resource attribute; {@code service.name} sets {@link #service(String)} instead. */
    public Builder addResourceAttribute(Attribute attribute) {
      if (attribute.key().equals(SERVICE_NAME) && attribute.value() instanceof String s) {
        return service(s);
      }
      resource.add(attribute);
      return this;
    }

    public Builder scope(String name, String version) {
      this.scopeName = name == null ? "" : name;
      this.scopeVersion = version == null ? "" : version;
      return this;
    }

    public Builder addEvent(SpanEvent event) {
      events.add(Objects.requireNonNull(event, "event"));
      return this;
    }

    public Builder addLink(SpanLink link) {
      links.add(Objects.requireNonNull(link, "link"));
      return this;
    }

    public Builder traceState(String traceState) {
      this.traceState = traceState == null ? "" : traceState;
      return this;
    }

    public Builder flags(int flags) {
      this.flags = flags;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the trace id is missing, the span id is zero, the span is
     *     its own parent, or the duration is negative
     */
    public Span build() {
      if (traceId == null) {
        throw new IllegalArgumentException("trace id is required");
      }
      return new Span(this);
    }
  }
}
