package dev.skein.server.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Single-threaded decode speed of a realistic 500-span OTLP request (50 traces of 10 spans, 20
 * services, 200 operations, 5 to 11 attributes per span): {@link OtlpProtobufDecoder} into server
 * spans against protobuf-java's generated {@code ExportTraceServiceRequest.parseFrom} of the same
 * bytes, which only builds the message objects. Also the other decoders, for scale.
 *
 * <pre>
 * mvn -B -o -q test-compile -pl server
 * java -cp "$(cat cp.txt):server/target/classes:server/target/test-classes" \
 *   dev.skein.server.ingest.DecodeThroughput [seconds per measurement, default 5]
 * </pre>
 *
 * (cp.txt from {@code mvn -o dependency:build-classpath -pl server -Dmdep.outputFile=cp.txt}.)
 */
public final class DecodeThroughput {
  private static final int SPANS = 500;

  private DecodeThroughput() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    ExportTraceServiceRequest request = realisticRequest(new Random(42));
    byte[] protobuf = request.toByteArray();
    byte[] json = OtlpJsonText.of(request, true, false);
    System.out.printf(
        "request: %d spans, %d bytes protobuf, %d bytes JSON%n",
        SPANS, protobuf.length, json.length);

    // Warm both paths up before measuring either.
    measure("warm-up", seconds, () -> OtlpProtobufDecoder.decode(protobuf, SPANS).spans().size());
    measure("warm-up", seconds, () -> parse(protobuf));

    double skein =
        measure(
            "OtlpProtobufDecoder.decode",
            seconds,
            () -> OtlpProtobufDecoder.decode(protobuf, SPANS).spans().size());
    double generated =
        measure("ExportTraceServiceRequest.parseFrom", seconds, () -> parse(protobuf));
    System.out.printf("ratio decode / parseFrom: %.2f%n", skein / generated);

    measure(
        "OtlpJsonDecoder.decode",
        seconds,
        () -> OtlpJsonDecoder.decode(json, SPANS).spans().size());

    // What the server's sink does next with the spans: encode them as one ingest-log record.
    List<dev.skein.storage.Span> decoded = OtlpProtobufDecoder.decode(protobuf, SPANS).spans();
    measure(
        "SpanCodec.encode (log record)",
        seconds,
        () -> dev.skein.storage.SpanCodec.encode(decoded).length > 0 ? decoded.size() : 0);
  }

  private static int parse(byte[] protobuf) {
    try {
      ExportTraceServiceRequest parsed = ExportTraceServiceRequest.parseFrom(protobuf);
      int spans = 0;
      for (ResourceSpans resourceSpans : parsed.getResourceSpansList()) {
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
          spans += scopeSpans.getSpansCount();
        }
      }
      return spans;
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Spans decoded per second; prints it. */
  private static double measure(String name, double seconds, Runnable0 decode) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    long allocatedBefore = threads.getThreadAllocatedBytes(thread);
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long spans = 0;
    long requests = 0;
    while (System.nanoTime() < deadline) {
      spans += decode.run();
      requests++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
    double rate = spans / elapsed;
    if (!name.equals("warm-up")) {
      System.out.printf(
          "%-38s %,11.0f spans/s  %,7.0f requests/s  %,6d bytes allocated/span%n",
          name, rate, requests / elapsed, allocated / spans);
    }
    return rate;
  }

  @FunctionalInterface
  private interface Runnable0 {
    int run();
  }

  static ExportTraceServiceRequest realisticRequest(Random random) {
    String[] services = new String[20];
    for (int i = 0; i < services.length; i++) {
      services[i] = "service-" + (char) ('a' + i) + "-api";
    }
    String[] operations = new String[200];
    for (int i = 0; i < operations.length; i++) {
      operations[i] =
          switch (i % 4) {
            case 0 -> "GET /api/v1/resource" + i + "/{id}";
            case 1 -> "POST /api/v1/resource" + i;
            case 2 -> "SELECT table" + i;
            default -> "grpc.Service" + (i % 20) + "/Method" + i;
          };
    }
    Map<String, List<Span>> byService = new LinkedHashMap<>();
    for (int trace = 0; trace < SPANS / 10; trace++) {
      byte[] traceId = new byte[16];
      random.nextBytes(traceId);
      long start = 1_700_000_000_000_000_000L + random.nextInt(1_000_000_000);
      List<byte[]> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        byte[] spanId = ByteBuffer.allocate(8).putLong(random.nextLong() | 1).array();
        ids.add(spanId);
        int operation = random.nextInt(operations.length);
        String service = services[operation % services.length];
        Span.Builder span =
            Span.newBuilder()
                .setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(spanId))
                .setName(operations[operation])
                .setKindValue(1 + random.nextInt(5))
                .setStartTimeUnixNano(start + i * 1000L)
                .setEndTimeUnixNano(start + i * 1000L + random.nextInt(50_000_000))
                .setFlags(0x101);
        if (i > 0) {
          span.setParentSpanId(ByteString.copyFrom(ids.get(random.nextInt(i))));
        }
        int attributes = 5 + random.nextInt(7);
        for (int a = 0; a < attributes; a++) {
          span.addAttributes(attribute(a, random));
        }
        if (random.nextInt(10) == 0) {
          span.setStatus(
              Status.newBuilder()
                  .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                  .setMessage("upstream timed out"));
          span.addEvents(
              Span.Event.newBuilder()
                  .setTimeUnixNano(start + i * 1000L + 10)
                  .setName("exception")
                  .addAttributes(kv("exception.type", "java.net.SocketTimeoutException"))
                  .addAttributes(kv("exception.message", "Read timed out")));
        }
        byService.computeIfAbsent(service, s -> new ArrayList<>()).add(span.build());
      }
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (Map.Entry<String, List<Span>> entry : byService.entrySet()) {
      request.addResourceSpans(
          ResourceSpans.newBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(kv("service.name", entry.getKey()))
                      .addAttributes(kv("service.version", "1.4.2"))
                      .addAttributes(kv("host.name", "node-" + entry.getKey().length()))
                      .addAttributes(kv("telemetry.sdk.language", "java"))
                      .addAttributes(kv("telemetry.sdk.name", "opentelemetry"))
                      .addAttributes(kv("telemetry.sdk.version", "1.67.0")))
              .addScopeSpans(
                  ScopeSpans.newBuilder()
                      .setScope(
                          InstrumentationScope.newBuilder()
                              .setName("io.opentelemetry.netty-4.1")
                              .setVersion("2.10.0-alpha"))
                      .addAllSpans(entry.getValue())));
    }
    return request.build();
  }

  private static KeyValue attribute(int index, Random random) {
    return switch (index) {
      case 0 -> kv("http.request.method", random.nextBoolean() ? "GET" : "POST");
      case 1 -> kvInt("http.response.status_code", random.nextInt(10) == 0 ? 500 : 200);
      case 2 -> kv("url.path", "/api/v1/items/" + random.nextInt(100_000));
      case 3 -> kv("server.address", "items.internal");
      case 4 -> kvInt("server.port", 8080);
      case 5 ->
          kv("user.id", UUID.nameUUIDFromBytes(new byte[] {(byte) random.nextInt()}).toString());
      case 6 -> kv("db.system", "postgresql");
      case 7 ->
          kv(
              "db.statement",
              "SELECT id, name, price FROM items WHERE category = ? AND price < ? LIMIT "
                  + random.nextInt(100));
      case 8 -> kvInt("thread.id", random.nextInt(200));
      case 9 -> kv("thread.name", "http-nio-8080-exec-" + random.nextInt(200));
      default -> kv("network.protocol.version", "1.1");
    };
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue kvInt(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
