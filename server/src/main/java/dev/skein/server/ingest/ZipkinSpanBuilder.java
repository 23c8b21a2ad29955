package dev.skein.server.ingest;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One Zipkin v2 span as read from JSON or proto3, turned into a {@link Span} the same way for both.
 * Reused from span to span within a request ({@link #reset()}).
 */
final class ZipkinSpanBuilder {
  static final String ERROR = "error";
  static final String NETWORK_PEER_ADDRESS = "network.peer.address";
  static final String NETWORK_PEER_PORT = "network.peer.port";
  static final String NETWORK_LOCAL_ADDRESS = "network.local.address";
  static final String NETWORK_LOCAL_PORT = "network.local.port";
  static final String DEBUG = "zipkin.debug";
  static final String SHARED = "zipkin.shared";
  // What the OpenTelemetry SDKs' Zipkin exporters write for fields Zipkin lacks.
  static final String OTEL_STATUS_CODE = "otel.status_code";
  static final String OTEL_STATUS_DESCRIPTION = "otel.status_description";
  static final String OTEL_SCOPE_NAME = "otel.scope.name";
  static final String OTEL_SCOPE_VERSION = "otel.scope.version";
  static final String OTEL_LIBRARY_NAME = "otel.library.name";
  static final String OTEL_LIBRARY_VERSION = "otel.library.version";

  private static final long MAX_MICROS = Long.MAX_VALUE / 1000;

  /** A Zipkin endpoint; {@code address} prefers the IPv4 address over the IPv6 one. */
  static final class Endpoint {
    String serviceName = "";
    String ipv4 = "";
    String ipv6 = "";
    int port;

    void reset() {
      serviceName = "";
      ipv4 = "";
      ipv6 = "";
      port = 0;
    }

    String address() {
      return ipv4.isEmpty() ? ipv6 : ipv4;
    }
  }

  String problem;
  boolean hasTraceId;
  long traceHigh;
  long traceLow;
  boolean hasId;
  long id;
  long parentId;
  Span.Kind kind = Span.Kind.UNSPECIFIED;
  String name = "";
  long timestampMicros;
  long durationMicros;
  final Endpoint local = new Endpoint();
  final Endpoint remote = new Endpoint();
  private long[] annotationTimes = new long[8];
  private final List<String> annotationValues = new ArrayList<>();
  private final List<String> tagKeys = new ArrayList<>();
  private final List<String> tagValues = new ArrayList<>();
  boolean debug;
  boolean shared;

  void reset() {
    problem = null;
    hasTraceId = false;
    traceHigh = 0;
    traceLow = 0;
    hasId = false;
    id = 0;
    parentId = 0;
    kind = Span.Kind.UNSPECIFIED;
    name = "";
    timestampMicros = 0;
    durationMicros = 0;
    local.reset();
    remote.reset();
    annotationValues.clear();
    tagKeys.clear();
    tagValues.clear();
    debug = false;
    shared = false;
  }

  /** Notes why the span is invalid; the first reason wins. */
  void problem(String why) {
    if (problem == null) {
      problem = why;
    }
  }

  void annotation(long timestampMicros, String value) {
    int index = annotationValues.size();
    if (index == annotationTimes.length) {
      annotationTimes = java.util.Arrays.copyOf(annotationTimes, index * 2);
    }
    annotationTimes[index] = timestampMicros;
    annotationValues.add(value);
  }

  void tag(String key, String value) {
    tagKeys.add(key);
    tagValues.add(value);
  }

  /** Adds the span to the collector, or counts it rejected with the first reason. */
  void finish(SpanCollector collector, Supplier<String> where) {
    String invalid = invalid();
    if (invalid != null) {
      collector.reject(where, invalid);
      return;
    }
    Span.Builder span =
        Span.builder()
            .traceId(new TraceId(traceHigh, traceLow))
            .spanId(id)
            .parentSpanId(parentId)
            .name(name)
            .kind(kind)
            .service(local.serviceName.isEmpty() ? "unknown_service" : local.serviceName)
            .startEpochNanos(timestampMicros * 1000)
            .durationNanos(durationMicros * 1000);

    String errorTag = null;
    String otelStatus = null;
    String otelDescription = "";
    String scopeName = "";
    String scopeVersion = "";
    for (int i = 0; i < tagKeys.size(); i++) {
      String key = tagKeys.get(i);
      String value = tagValues.get(i);
      switch (key) {
        case ERROR -> errorTag = value;
        case OTEL_STATUS_DESCRIPTION -> otelDescription = value;
        case OTEL_SCOPE_NAME, OTEL_LIBRARY_NAME -> scopeName = value;
        case OTEL_SCOPE_VERSION, OTEL_LIBRARY_VERSION -> scopeVersion = value;
        case OTEL_STATUS_CODE -> {
          if (value.equals("OK") || value.equals("ERROR")) {
            otelStatus = value;
          } else {
            span.addAttribute(new Attribute(key, value));
          }
        }
        default -> span.addAttribute(new Attribute(key, value));
      }
    }
    if (errorTag != null || "ERROR".equals(otelStatus)) {
      String message = errorTag != null && !errorTag.isEmpty() ? errorTag : otelDescription;
      span.status(Span.Status.ERROR, message);
    } else if ("OK".equals(otelStatus)) {
      span.status(Span.Status.OK, "");
    }
    span.scope(scopeName, scopeVersion);

    if (!remote.serviceName.isEmpty()) {
      span.addAttribute(new Attribute(Span.PEER_SERVICE, remote.serviceName));
    }
    if (!remote.address().isEmpty()) {
      span.addAttribute(new Attribute(NETWORK_PEER_ADDRESS, remote.address()));
    }
    if (remote.port > 0) {
      span.addAttribute(new Attribute(NETWORK_PEER_PORT, (long) remote.port));
    }
    if (!local.address().isEmpty()) {
      span.addAttribute(new Attribute(NETWORK_LOCAL_ADDRESS, local.address()));
    }
    if (local.port > 0) {
      span.addAttribute(new Attribute(NETWORK_LOCAL_PORT, (long) local.port));
    }
    if (debug) {
      span.addAttribute(new Attribute(DEBUG, Boolean.TRUE));
    }
    if (shared) {
      span.addAttribute(new Attribute(SHARED, Boolean.TRUE));
    }
    for (int i = 0; i < annotationValues.size(); i++) {
      span.addEvent(new SpanEvent(annotationTimes[i] * 1000, annotationValues.get(i), List.of()));
    }
    Spans.build(span, collector, where);
  }

  private String invalid() {
    if (problem != null) {
      return problem;
    }
    if (!hasTraceId) {
      return "trace id is missing";
    }
    if (traceHigh == 0 && traceLow == 0) {
      return "trace id is all zeros";
    }
    if (!hasId) {
      return "span id is missing";
    }
    if (id == 0) {
      return "span id is all zeros";
    }
    if (parentId == id) {
      return "span is its own parent";
    }
    if (timestampMicros < 0 || timestampMicros > MAX_MICROS) {
      return "timestamp " + Long.toUnsignedString(timestampMicros) + " is out of range";
    }
    if (durationMicros < 0 || durationMicros > MAX_MICROS - timestampMicros) {
      return "duration " + Long.toUnsignedString(durationMicros) + " is out of range";
    }
    for (int i = 0; i < annotationValues.size(); i++) {
      if (annotationTimes[i] < 0 || annotationTimes[i] > MAX_MICROS) {
        return "annotation timestamp "
            + Long.toUnsignedString(annotationTimes[i])
            + " is out of range";
      }
    }
    return null;
  }
}
