package dev.skein.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.skein.storage.Attribute;
import dev.skein.storage.Hex;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes spans in Zipkin's v2 JSON model. OpenTelemetry fields map as the OpenTelemetry Zipkin
 * exporter maps them: kind to {@code kind} (none for internal), status to the {@code
 * otel.status_code} and {@code error} tags, scope to {@code otel.scope.*} tags, events to
 * annotations, {@code peer.service} and the peer address to the remote endpoint.
 */
final class ZipkinJson {
  private static final String[] PEER_ADDRESS_KEYS = {
    "network.peer.address", "net.sock.peer.addr", "net.peer.ip"
  };
  private static final String[] PEER_PORT_KEYS = {
    "network.peer.port", "net.sock.peer.port", "net.peer.port"
  };

  private ZipkinJson() {}

  static void writeSpan(JsonGenerator gen, Span span) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("traceId", span.traceId().toShortestHex());
    if (!span.isRoot()) {
      gen.writeStringField("parentId", Hex.toHex(span.parentSpanId()));
    }
    gen.writeStringField("id", Hex.toHex(span.spanId()));
    String kind = kind(span.kind());
    if (kind != null) {
      gen.writeStringField("kind", kind);
    }
    if (!span.name().isEmpty()) {
      gen.writeStringField("name", span.name());
    }
    if (span.startEpochNanos() > 0) {
      gen.writeNumberField("timestamp", Json.micros(span.startEpochNanos()));
    }
    if (span.durationNanos() > 0) {
      // Zipkin rounds a duration under one microsecond up to one.
      gen.writeNumberField("duration", Math.max(1, Json.micros(span.durationNanos())));
    }
    gen.writeObjectFieldStart("localEndpoint");
    gen.writeStringField("serviceName", span.service());
    gen.writeEndObject();
    writeRemoteEndpoint(gen, span);
    if (!span.events().isEmpty()) {
      gen.writeArrayFieldStart("annotations");
      for (SpanEvent event : span.events()) {
        gen.writeStartObject();
        gen.writeNumberField("timestamp", Json.micros(event.epochNanos()));
        gen.writeStringField("value", annotationValue(event));
        gen.writeEndObject();
      }
      gen.writeEndArray();
    }
    Map<String, String> tags = tags(span);
    if (!tags.isEmpty()) {
      gen.writeObjectFieldStart("tags");
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        gen.writeStringField(tag.getKey(), tag.getValue());
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  static String kind(Span.Kind kind) {
    return switch (kind) {
      case SERVER -> "SERVER";
      case CLIENT -> "CLIENT";
      case PRODUCER -> "PRODUCER";
      case CONSUMER -> "CONSUMER";
      case INTERNAL, UNSPECIFIED -> null;
    };
  }

  /**
   * Resource attributes, then the span's (which win on a shared key), then the derived tags no
   * attribute already gives.
   */
  static Map<String, String> tags(Span span) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Attribute attribute : span.resource()) {
      tags.put(attribute.key(), attribute.valueAsString());
    }
    for (Attribute attribute : span.attributes()) {
      tags.put(attribute.key(), attribute.valueAsString());
    }
    for (String key : TagView.ZIPKIN.derivedKeys()) {
      if (!tags.containsKey(key)) {
        String value = TagView.ZIPKIN.derivedValue(span, key);
        if (value != null) {
          tags.put(key, value);
        }
      }
    }
    return tags;
  }

  /**
   * The event name alone, or as the OpenTelemetry Zipkin exporter writes an event with attributes:
   * {@code "name":{"key":value,...}}.
   */
  static String annotationValue(SpanEvent event) {
    if (event.attributes().isEmpty()) {
      return event.name();
    }
    StringWriter text = new StringWriter();
    try (JsonGenerator gen = Json.FACTORY.createGenerator(text)) {
      gen.writeStartObject();
      gen.writeFieldName(event.name());
      gen.writeStartObject();
      for (Attribute attribute : event.attributes()) {
        gen.writeFieldName(attribute.key());
        writeValue(gen, attribute.value());
      }
      gen.writeEndObject();
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Drop the outer braces: the exporter's form is a member, not an object.
    return text.toString().substring(1, text.getBuffer().length() - 1);
  }

  private static void writeValue(JsonGenerator gen, Object value) throws IOException {
    if (value instanceof String s) {
      gen.writeString(s);
    } else if (value instanceof Boolean b) {
      gen.writeBoolean(b);
    } else if (value instanceof Long l) {
      gen.writeNumber(l);
    } else if (value instanceof Double d && Double.isFinite(d)) {
      gen.writeNumber(d);
    } else if (value instanceof List<?> list) {
      gen.writeStartArray();
      for (Object element : list) {
        writeValue(gen, element);
      }
      gen.writeEndArray();
    } else {
      gen.writeString(String.valueOf(value));
    }
  }

  private static void writeRemoteEndpoint(JsonGenerator gen, Span span) throws IOException {
    String service = span.remoteService();
    String address = firstText(span.attributes(), PEER_ADDRESS_KEYS);
    String ipv4 = address != null && IpLiterals.isIpv4(address) ? address : null;
    String ipv6 = address != null && ipv4 == null ? IpLiterals.ipv6OrNull(address) : null;
    long port = port(span.attributes());
    if (service == null && ipv4 == null && ipv6 == null && port == 0) {
      return;
    }
    gen.writeObjectFieldStart("remoteEndpoint");
    if (service != null) {
      gen.writeStringField("serviceName", service);
    }
    if (ipv4 != null) {
      gen.writeStringField("ipv4", ipv4);
    }
    if (ipv6 != null) {
      gen.writeStringField("ipv6", ipv6);
    }
    if (port != 0) {
      gen.writeNumberField("port", port);
    }
    gen.writeEndObject();
  }

  private static String firstText(List<Attribute> attributes, String[] keys) {
    for (String key : keys) {
      String text = Json.textOf(attributes, key);
      if (text != null) {
        return text;
      }
    }
    return null;
  }

  /** The peer port from a number or a numeric string, or 0 if absent or not a valid port. */
  private static long port(List<Attribute> attributes) {
    String text = firstText(attributes, PEER_PORT_KEYS);
    if (text == null || text.isEmpty() || text.length() > 5) {
      return 0;
    }
    long port = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535 ? port : 0;
  }
}
