package dev.skein.server.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.common.net.InetAddresses;
import com.google.protobuf.CodedOutputStream;
import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.SpanEvent;
import dev.skein.storage.TraceId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random Zipkin v2 spans, written by hand as JSON and as proto3 {@code ListOfSpans} (field numbers
 * from zipkin.proto), with the {@link Span} each must decode to.
 */
final class RandomZipkin {
  private static final String[] KINDS = {null, "CLIENT", "SERVER", "PRODUCER", "CONSUMER"};
  private static final String[] WORDS = {"get", "checkout", "über", "数据库", "", "a\"b", "x/y"};

  record Endpoint(String serviceName, byte[] ipv4, byte[] ipv6, int port) {}

  record Annotation(long timestamp, String value) {}

  /** One span; ids are raw bytes (null when absent), possibly invalid. */
  record ZipkinSpan(
      byte[] traceId,
      byte[] id,
      byte[] parentId,
      int kind,
      String name,
      long timestamp,
      long duration,
      Endpoint local,
      Endpoint remote,
      List<Annotation> annotations,
      Map<String, String> tags,
      boolean debug,
      boolean shared) {}

  private final Random random;

  RandomZipkin(long seed) {
    this.random = new Random(seed);
  }

  List<ZipkinSpan> spans() {
    List<ZipkinSpan> spans = new ArrayList<>();
    int count = random.nextInt(8);
    for (int i = 0; i < count; i++) {
      spans.add(span());
    }
    return spans;
  }

  private ZipkinSpan span() {
    byte[] id = id(8);
    byte[] parent =
        switch (random.nextInt(6)) {
          case 0, 1 -> null;
          case 2 -> id; // its own parent: rejected
          default -> id(8);
        };
    long timestamp = 1_700_000_000_000_000L + random.nextInt(1_000_000_000);
    if (random.nextInt(30) == 0) {
      timestamp = Long.MAX_VALUE / 1000 + 1; // overflows as nanoseconds: rejected
    }
    Map<String, String> tags = new LinkedHashMap<>();
    int tagCount = random.nextInt(6);
    for (int i = 0; i < tagCount; i++) {
      tags.put("tag." + random.nextInt(10), word());
    }
    switch (random.nextInt(8)) {
      case 0 -> tags.put("error", random.nextBoolean() ? "" : "boom");
      case 1 -> tags.put("otel.status_code", random.nextBoolean() ? "OK" : "ERROR");
      case 2 -> {
        tags.put("otel.status_code", "ERROR");
        tags.put("otel.status_description", "described");
      }
      case 3 -> tags.put("otel.status_code", "MAYBE");
      case 4 -> {
        tags.put("otel.scope.name", "io.lib");
        tags.put("otel.library.version", "2.0");
      }
      default -> {}
    }
    List<Annotation> annotations = new ArrayList<>();
    int annotationCount = random.nextInt(3);
    for (int i = 0; i < annotationCount; i++) {
      annotations.add(new Annotation(timestamp + random.nextInt(1000), word()));
    }
    return new ZipkinSpan(
        id(16 / (1 + random.nextInt(2))),
        id,
        parent,
        random.nextInt(KINDS.length),
        word(),
        timestamp,
        random.nextInt(3) == 0 ? 0 : random.nextInt(5_000_000),
        random.nextInt(6) == 0 ? null : endpoint(),
        random.nextBoolean() ? null : endpoint(),
        annotations,
        tags,
        random.nextInt(10) == 0,
        random.nextInt(5) == 0);
  }

  private Endpoint endpoint() {
    byte[] ipv4 = null;
    byte[] ipv6 = null;
    if (random.nextBoolean()) {
      ipv4 = bytes(4);
    }
    if (random.nextInt(3) == 0) {
      ipv6 = bytes(16);
      if (random.nextBoolean()) {
        java.util.Arrays.fill(ipv6, 2 + random.nextInt(4), 10, (byte) 0); // a run to compress
      }
      ipv6[10] = 1; // never an IPv4-mapped address
    }
    return new Endpoint(
        random.nextInt(4) == 0 ? "" : "svc-" + random.nextInt(5),
        ipv4,
        ipv6,
        random.nextBoolean() ? 0 : 1 + random.nextInt(65535));
  }

  /** Usually a valid id of that many bytes; sometimes zeros or nine bytes (invalid in both). */
  private byte[] id(int length) {
    int dice = random.nextInt(40);
    if (dice == 0) {
      return new byte[length];
    }
    if (dice == 1) {
      return bytes(9);
    }
    byte[] id = bytes(length);
    id[length - 1] |= 1;
    return id;
  }

  private byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private String word() {
    return WORDS[random.nextInt(WORDS.length)];
  }

  static byte[] json(List<ZipkinSpan> spans) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartArray();
      for (ZipkinSpan span : spans) {
        json.writeStartObject();
        json.writeStringField("traceId", HexFormat.of().formatHex(span.traceId()));
        if (span.parentId() != null) {
          json.writeStringField("parentId", HexFormat.of().formatHex(span.parentId()));
        }
        json.writeStringField("id", HexFormat.of().formatHex(span.id()));
        if (span.kind() != 0) {
          json.writeStringField("kind", KINDS[span.kind()]);
        }
        json.writeStringField("name", span.name());
        json.writeNumberField("timestamp", span.timestamp());
        if (span.duration() != 0) {
          json.writeNumberField("duration", span.duration());
        }
        endpoint(json, "localEndpoint", span.local());
        endpoint(json, "remoteEndpoint", span.remote());
        if (!span.annotations().isEmpty()) {
          json.writeArrayFieldStart("annotations");
          for (Annotation annotation : span.annotations()) {
            json.writeStartObject();
            json.writeNumberField("timestamp", annotation.timestamp());
            json.writeStringField("value", annotation.value());
            json.writeEndObject();
          }
          json.writeEndArray();
        }
        if (!span.tags().isEmpty()) {
          json.writeObjectFieldStart("tags");
          for (Map.Entry<String, String> tag : span.tags().entrySet()) {
            json.writeStringField(tag.getKey(), tag.getValue());
          }
          json.writeEndObject();
        }
        if (span.debug()) {
          json.writeBooleanField("debug", true);
        }
        if (span.shared()) {
          json.writeBooleanField("shared", true);
        }
        json.writeEndObject();
      }
      json.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void endpoint(JsonGenerator json, String name, Endpoint endpoint)
      throws IOException {
    if (endpoint == null) {
      return;
    }
    json.writeObjectFieldStart(name);
    if (!endpoint.serviceName().isEmpty()) {
      json.writeStringField("serviceName", endpoint.serviceName());
    }
    if (endpoint.ipv4() != null) {
      json.writeStringField("ipv4", ipv4Text(endpoint.ipv4()));
    }
    if (endpoint.ipv6() != null) {
      json.writeStringField("ipv6", ipv6Text(endpoint.ipv6()));
    }
    if (endpoint.port() != 0) {
      json.writeNumberField("port", endpoint.port());
    }
    json.writeEndObject();
  }

  static byte[] proto3(List<ZipkinSpan> spans) {
    try {
      ByteArrayOutputStream list = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(list);
      for (ZipkinSpan span : spans) {
        out.writeByteArray(1, proto3(span));
      }
      out.flush();
      return list.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] proto3(ZipkinSpan span) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeByteArray(1, span.traceId());
    if (span.parentId() != null) {
      out.writeByteArray(2, span.parentId());
    }
    out.writeByteArray(3, span.id());
    if (span.kind() != 0) {
      out.writeEnum(4, span.kind());
    }
    if (!span.name().isEmpty()) {
      out.writeString(5, span.name());
    }
    out.writeFixed64(6, span.timestamp());
    if (span.duration() != 0) {
      out.writeUInt64(7, span.duration());
    }
    if (span.local() != null) {
      out.writeByteArray(8, proto3(span.local()));
    }
    if (span.remote() != null) {
      out.writeByteArray(9, proto3(span.remote()));
    }
    for (Annotation annotation : span.annotations()) {
      ByteArrayOutputStream annotationBytes = new ByteArrayOutputStream();
      CodedOutputStream a = CodedOutputStream.newInstance(annotationBytes);
      a.writeFixed64(1, annotation.timestamp());
      a.writeString(2, annotation.value());
      a.flush();
      out.writeByteArray(10, annotationBytes.toByteArray());
    }
    for (Map.Entry<String, String> tag : span.tags().entrySet()) {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      CodedOutputStream e = CodedOutputStream.newInstance(entry);
      e.writeString(1, tag.getKey());
      e.writeString(2, tag.getValue());
      e.flush();
      out.writeByteArray(11, entry.toByteArray());
    }
    if (span.debug()) {
      out.writeBool(12, true);
    }
    if (span.shared()) {
      out.writeBool(13, true);
    }
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] proto3(Endpoint endpoint) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    if (!endpoint.serviceName().isEmpty()) {
      out.writeString(1, endpoint.serviceName());
    }
    if (endpoint.ipv4() != null) {
      out.writeByteArray(2, endpoint.ipv4());
    }
    if (endpoint.ipv6() != null) {
      out.writeByteArray(3, endpoint.ipv6());
    }
    if (endpoint.port() != 0) {
      out.writeInt32(4, endpoint.port());
    }
    out.flush();
    return bytes.toByteArray();
  }

  /** The span the documented mapping gives, or null if the span is to be rejected. */
  static Span expected(ZipkinSpan span) {
    byte[] traceId = span.traceId();
    if ((traceId.length != 8 && traceId.length != 16) || isZero(traceId)) {
      return null;
    }
    if (span.id().length != 8 || isZero(span.id())) {
      return null;
    }
    if (span.parentId() != null && span.parentId().length != 8) {
      return null;
    }
    long id = ByteBuffer.wrap(span.id()).getLong();
    long parent = span.parentId() == null ? 0 : ByteBuffer.wrap(span.parentId()).getLong();
    if (parent == id || span.timestamp() > Long.MAX_VALUE / 1000) {
      return null;
    }
    ByteBuffer trace = ByteBuffer.wrap(traceId);
    Span.Builder expected =
        Span.builder()
            .traceId(
                traceId.length == 16
                    ? new TraceId(trace.getLong(), trace.getLong())
                    : new TraceId(0, trace.getLong()))
            .spanId(id)
            .parentSpanId(parent)
            .name(span.name())
            .kind(
                switch (span.kind()) {
                  case 1 -> Span.Kind.CLIENT;
                  case 2 -> Span.Kind.SERVER;
                  case 3 -> Span.Kind.PRODUCER;
                  case 4 -> Span.Kind.CONSUMER;
                  default -> Span.Kind.UNSPECIFIED;
                })
            .service(
                span.local() == null || span.local().serviceName().isEmpty()
                    ? "unknown_service"
                    : span.local().serviceName())
            .startEpochNanos(span.timestamp() * 1000)
            .durationNanos(span.duration() * 1000);
    Map<String, String> tags = new LinkedHashMap<>(span.tags());
    String error = tags.remove("error");
    String otelStatus = tags.get("otel.status_code");
    if ("OK".equals(otelStatus) || "ERROR".equals(otelStatus)) {
      tags.remove("otel.status_code");
    }
    String description = tags.remove("otel.status_description");
    String scopeName = tags.remove("otel.scope.name");
    String scopeVersion = tags.remove("otel.library.version");
    if (error != null || "ERROR".equals(otelStatus)) {
      String message = error != null && !error.isEmpty() ? error : description;
      expected.status(Span.Status.ERROR, message == null ? "" : message);
    } else if ("OK".equals(otelStatus)) {
      expected.status(Span.Status.OK, "");
    }
    expected.scope(scopeName, scopeVersion);
    tags.forEach(expected::addAttribute);
    if (span.remote() != null) {
      Endpoint remote = span.remote();
      if (!remote.serviceName().isEmpty()) {
        expected.addAttribute(Span.PEER_SERVICE, remote.serviceName());
      }
      address(remote).ifPresent(a -> expected.addAttribute("network.peer.address", a));
      if (remote.port() != 0) {
        expected.addAttribute(new Attribute("network.peer.port", (long) remote.port()));
      }
    }
    if (span.local() != null) {
      address(span.local()).ifPresent(a -> expected.addAttribute("network.local.address", a));
      if (span.local().port() != 0) {
        expected.addAttribute(new Attribute("network.local.port", (long) span.local().port()));
      }
    }
    if (span.debug()) {
      expected.addAttribute("zipkin.debug", true);
    }
    if (span.shared()) {
      expected.addAttribute("zipkin.shared", true);
    }
    for (Annotation annotation : span.annotations()) {
      expected.addEvent(
          new SpanEvent(annotation.timestamp() * 1000, annotation.value(), List.of()));
    }
    return expected.build();
  }

  private static java.util.Optional<String> address(Endpoint endpoint) {
    if (endpoint.ipv4() != null) {
      return java.util.Optional.of(ipv4Text(endpoint.ipv4()));
    }
    if (endpoint.ipv6() != null) {
      return java.util.Optional.of(ipv6Text(endpoint.ipv6()));
    }
    return java.util.Optional.empty();
  }

  private static String ipv4Text(byte[] ipv4) {
    return (ipv4[0] & 0xFF)
        + "."
        + (ipv4[1] & 0xFF)
        + "."
        + (ipv4[2] & 0xFF)
        + "."
        + (ipv4[3] & 0xFF);
  }

  /** RFC 5952 text, by Guava: an independent check of the decoder's own formatting. */
  static String ipv6Text(byte[] ipv6) {
    try {
      return InetAddresses.toAddrString(Inet6Address.getByAddress(null, ipv6, null));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
