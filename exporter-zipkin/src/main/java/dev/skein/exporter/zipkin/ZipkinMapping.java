package dev.skein.exporter.zipkin;

import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The OpenTelemetry-to-Zipkin mapping both encoders share, so JSON and proto3 always say the same
 * thing. It follows the OpenTelemetry specification's Zipkin exporter document (and, where that
 * leaves room, what the OpenTelemetry Java Zipkin exporter does); the module README has the table.
 */
final class ZipkinMapping {

  /** The service name when the resource has none: the SDK's default resource value. */
  static final String UNKNOWN_SERVICE = "unknown_service:java";

  static final String STATUS_CODE_TAG = "otel.status_code";
  static final String ERROR_TAG = "error";
  static final String SCOPE_NAME_TAG = "otel.scope.name";
  static final String SCOPE_VERSION_TAG = "otel.scope.version";
  static final String DROPPED_ATTRIBUTES_TAG = "otel.dropped_attributes_count";
  static final String DROPPED_EVENTS_TAG = "otel.dropped_events_count";
  static final String DROPPED_LINKS_TAG = "otel.dropped_links_count";

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

  /** Attributes naming the remote service of a client or producer span, best first. */
  private static final List<String> REMOTE_SERVICE_KEYS =
      List.of("peer.service", "server.address", "net.peer.name");

  private static final List<String> REMOTE_PORT_KEYS =
      List.of("network.peer.port", "server.port", "net.peer.port");

  private static final String REMOTE_ADDRESS_KEY = "network.peer.address";

  private ZipkinMapping() {}

  /** Receives tags one at a time, so encoders write them without collecting a map. */
  @FunctionalInterface
  interface TagSink {
    void tag(String key, String value);
  }

  /** The other side of a client or producer span; any part may be absent (null or 0). */
  record RemoteEndpoint(String serviceName, InetAddress ip, int port) {}

  static String serviceName(Attributes resource) {
    String name = resource.get(SERVICE_NAME);
    return name == null || name.isEmpty() ? UNKNOWN_SERVICE : name;
  }

  /** Epoch microseconds, truncated: Zipkin times are whole microseconds. */
  static long micros(long epochNanos) {
    return epochNanos / 1000;
  }

  /**
   * The difference of the truncated end and start, at least 1: Zipkin reads a zero duration as
   * "unknown", and a span shorter than a microsecond did take some time.
   */
  static long durationMicros(SpanData span) {
    return Math.max(1, micros(span.endEpochNanos()) - micros(span.startEpochNanos()));
  }

  /** Zipkin's kind name, or null for internal spans, which Zipkin marks by leaving kind out. */
  static String kindName(SpanKind kind) {
    return switch (kind) {
      case SERVER -> "SERVER";
      case CLIENT -> "CLIENT";
      case PRODUCER -> "PRODUCER";
      case CONSUMER -> "CONSUMER";
      case INTERNAL -> null;
    };
  }

  /** The zipkin.proto {@code Span.Kind} number; 0 (unspecified) for internal spans. */
  static int kindNumber(SpanKind kind) {
    return switch (kind) {
      case CLIENT -> 1;
      case SERVER -> 2;
      case PRODUCER -> 3;
      case CONSUMER -> 4;
      case INTERNAL -> 0;
    };
  }

  /**
   * What an event becomes as an annotation: its name alone when it has no attributes, otherwise
   * {@code "name":{"key":value}} as the specification shows.
   */
  static String annotationValue(SpanEvent event) {
    Attributes attributes = event.attributes();
    if (attributes == null || attributes.isEmpty()) {
      return event.name();
    }
    return JsonText.event(event.name(), attributes);
  }

  /**
   * Hands every tag of {@code span} to {@code sink}: the attributes, then status, scope and dropped
   * counts. An attribute whose key one of those derived tags uses is left out, so no key appears
   * twice; an {@code error} attribute that says false is left out too, because Zipkin marks a span
   * failed whenever it has an {@code error} tag at all.
   */
  static void forEachTag(SpanData span, TagSink sink) {
    StatusCode status = span.statusCode();
    InstrumentationScope scope = span.scope();
    int count = span.attributeCount();
    for (int i = 0; i < count; i++) {
      String key = span.attributeKey(i);
      Object value = span.attributeValue(i);
      if (replacedByDerivedTag(key, span) || (ERROR_TAG.equals(key) && isFalse(value))) {
        continue;
      }
      sink.tag(key, tagValue(value));
    }
    if (status != StatusCode.UNSET) {
      sink.tag(STATUS_CODE_TAG, status.name());
    }
    if (status == StatusCode.ERROR) {
      String description = span.statusDescription();
      sink.tag(ERROR_TAG, description == null ? "" : description);
    }
    if (!scope.name().isEmpty()) {
      sink.tag(SCOPE_NAME_TAG, scope.name());
    }
    if (!scope.version().isEmpty()) {
      sink.tag(SCOPE_VERSION_TAG, scope.version());
    }
    if (span.droppedAttributeCount() > 0) {
      sink.tag(DROPPED_ATTRIBUTES_TAG, Integer.toString(span.droppedAttributeCount()));
    }
    if (span.droppedEventCount() > 0) {
      sink.tag(DROPPED_EVENTS_TAG, Integer.toString(span.droppedEventCount()));
    }
    if (span.droppedLinkCount() > 0) {
      sink.tag(DROPPED_LINKS_TAG, Integer.toString(span.droppedLinkCount()));
    }
  }

  private static boolean replacedByDerivedTag(String key, SpanData span) {
    return switch (key) {
      case ERROR_TAG -> span.statusCode() == StatusCode.ERROR;
      case STATUS_CODE_TAG -> span.statusCode() != StatusCode.UNSET;
      case SCOPE_NAME_TAG -> !span.scope().name().isEmpty();
      case SCOPE_VERSION_TAG -> !span.scope().version().isEmpty();
      case DROPPED_ATTRIBUTES_TAG -> span.droppedAttributeCount() > 0;
      case DROPPED_EVENTS_TAG -> span.droppedEventCount() > 0;
      case DROPPED_LINKS_TAG -> span.droppedLinkCount() > 0;
      default -> false;
    };
  }

  private static boolean isFalse(Object value) {
    return Boolean.FALSE.equals(value) || "false".equals(value);
  }

  /** Primitives as Java prints them (locale-independent); arrays as JSON arrays. */
  static String tagValue(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof List<?> list) {
      return JsonText.array(list);
    }
    return String.valueOf(value);
  }

  /**
   * The remote endpoint of a client or producer span, which Zipkin needs to draw the dependency to
   * a service that is not traced; null for other kinds or when no attribute says who the peer is.
   */
  static RemoteEndpoint remoteEndpoint(SpanData span) {
    SpanKind kind = span.kind();
    if (kind != SpanKind.CLIENT && kind != SpanKind.PRODUCER) {
      return null;
    }
    String serviceName = null;
    InetAddress ip = null;
    int port = 0;
    int count = span.attributeCount();
    int serviceRank = REMOTE_SERVICE_KEYS.size();
    int portRank = REMOTE_PORT_KEYS.size();
    for (int i = 0; i < count; i++) {
      String key = span.attributeKey(i);
      Object value = span.attributeValue(i);
      int rank = REMOTE_SERVICE_KEYS.indexOf(key);
      if (rank >= 0 && rank < serviceRank && value instanceof String s && !s.isEmpty()) {
        serviceName = s;
        serviceRank = rank;
        continue;
      }
      rank = REMOTE_PORT_KEYS.indexOf(key);
      if (rank >= 0 && rank < portRank && value instanceof Long p && p > 0 && p <= 0xffff) {
        port = p.intValue();
        portRank = rank;
        continue;
      }
      if (REMOTE_ADDRESS_KEY.equals(key) && value instanceof String s) {
        ip = ipLiteral(s);
      }
    }
    if (serviceName == null && ip == null) {
      return null; // a port alone says nothing about who the peer is
    }
    return new RemoteEndpoint(serviceName, ip, port);
  }

  /**
   * Parses an IPv4 or IPv6 literal, never looking a name up: a host name, or anything else that is
   * not a literal, is null.
   */
  static InetAddress ipLiteral(String text) {
    String s = text.strip();
    if (s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      return ipv4(s);
    }
    // Only hex digits, colons and dots (for an embedded IPv4 tail), starting with a hex digit or a
    // colon: the JDK then parses the text as a literal and does no lookup.
    char first = s.charAt(0);
    if (first != ':' && Character.digit(first, 16) < 0) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != ':' && c != '.' && Character.digit(c, 16) < 0) {
        return null;
      }
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static InetAddress ipv4(String s) {
    byte[] bytes = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (value > 255) {
          return null;
        }
      } else if (c == '.' && value >= 0 && part < 4) {
        bytes[part++] = (byte) value;
        value = -1;
      } else {
        return null;
      }
    }
    if (part != 4) {
      return null;
    }
    try {
      return Inet4Address.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // four bytes are always a valid address
    }
  }
}
