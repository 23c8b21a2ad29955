package dev.skein.server.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * Random OTLP requests built with the official generated classes: mostly valid spans, with every
 * kind of attribute value, and now and then an invalid id, a reversed time range, an unknown enum
 * number or a missing service name.
 */
final class RandomOtlp {
  private static final String[] WORDS = {
    "checkout", "cart", "GET /api/items", "über", "数据库", "", "db.query", "a\"quote", "tab\there"
  };

  private final Random random;

  RandomOtlp(long seed) {
    this.random = new Random(seed);
  }

  ExportTraceServiceRequest request() {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    int resources = random.nextInt(4);
    for (int r = 0; r < resources; r++) {
      request.addResourceSpans(resourceSpans());
    }
    return request.build();
  }

  private ResourceSpans resourceSpans() {
    ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
    if (random.nextInt(5) > 0) {
      Resource.Builder resource = Resource.newBuilder();
      switch (random.nextInt(6)) {
        case 0 -> {} // no service name
        case 1 -> resource.addAttributes(keyValue("service.name", string("")));
        case 2 -> resource.addAttributes(keyValue("service.name", integer(7)));
        default -> resource.addAttributes(keyValue("service.name", string("svc-" + word())));
      }
      resource.addAllAttributes(attributes(random.nextInt(4)).getValuesList());
      resource.setDroppedAttributesCount(random.nextInt(3));
      resourceSpans.setResource(resource);
    }
    int scopes = random.nextInt(4);
    for (int s = 0; s < scopes; s++) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      if (random.nextBoolean()) {
        scope.setScope(
            InstrumentationScope.newBuilder()
                .setName("io.lib." + word())
                .setVersion(random.nextBoolean() ? "1.2." + random.nextInt(9) : "")
                .addAllAttributes(attributes(random.nextInt(2)).getValuesList()));
      }
      int spans = random.nextInt(7);
      for (int i = 0; i < spans; i++) {
        scope.addSpans(span());
      }
      scope.setSchemaUrl(random.nextBoolean() ? "https://opentelemetry.io/schemas/1.21.0" : "");
      resourceSpans.addScopeSpans(scope);
    }
    return resourceSpans.build();
  }

  private Span span() {
    Span.Builder span = Span.newBuilder();
    span.setTraceId(id(16)).setSpanId(id(8));
    switch (random.nextInt(8)) {
      case 0, 1, 2 -> {} // a root
      case 3 -> span.setParentSpanId(ByteString.copyFrom(new byte[8])); // zeros: a root too
      case 4 -> span.setParentSpanId(span.getSpanId()); // its own parent: rejected
      default -> span.setParentSpanId(id(8));
    }
    if (random.nextInt(10) == 0) {
      span.setTraceState("vendor=" + random.nextInt(100));
    }
    span.setName(word());
    span.setKindValue(random.nextInt(20) == 0 ? 9 : random.nextInt(6));
    long start = 1_700_000_000_000_000_000L + random.nextInt(1_000_000_000);
    long end = start + random.nextInt(5_000_000);
    switch (random.nextInt(30)) {
      case 0 -> end = start - 1; // rejected
      case 1 -> end = -5; // past 2^63 unsigned: rejected
      case 2 -> {
        start = 0;
        end = 0;
      }
      default -> {}
    }
    span.setStartTimeUnixNano(start).setEndTimeUnixNano(end);
    span.addAllAttributes(attributes(random.nextInt(8)).getValuesList());
    span.setDroppedAttributesCount(random.nextInt(2));
    int events = random.nextInt(3);
    for (int e = 0; e < events; e++) {
      span.addEvents(
          Span.Event.newBuilder()
              .setTimeUnixNano(start + random.nextInt(1000))
              .setName(word())
              .addAllAttributes(attributes(random.nextInt(3)).getValuesList()));
    }
    int links = random.nextInt(3);
    for (int l = 0; l < links; l++) {
      span.addLinks(
          Span.Link.newBuilder()
              .setTraceId(id(16))
              .setSpanId(id(8))
              .setTraceState(random.nextBoolean() ? "" : "k=v")
              .setFlags(random.nextInt(2))
              .addAllAttributes(attributes(random.nextInt(2)).getValuesList()));
    }
    if (random.nextBoolean()) {
      span.setStatus(
          Status.newBuilder()
              .setCodeValue(random.nextInt(15) == 0 ? 7 : random.nextInt(3))
              .setMessage(random.nextBoolean() ? word() : ""));
    }
    span.setFlags(random.nextInt(4) == 0 ? 0x301 : random.nextInt(2));
    return span.build();
  }

  /** Usually a valid id; sometimes all zeros, of the wrong length, or missing. */
  private ByteString id(int length) {
    int dice = random.nextInt(40);
    if (dice == 0) {
      return ByteString.copyFrom(new byte[length]);
    }
    if (dice == 1) {
      return ByteString.copyFrom(randomBytes(length == 16 ? 8 : 4));
    }
    if (dice == 2) {
      return ByteString.EMPTY;
    }
    byte[] bytes = randomBytes(length);
    bytes[0] |= 1; // never all zeros
    return ByteString.copyFrom(bytes);
  }

  private byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private KeyValueList attributes(int count) {
    KeyValueList.Builder list = KeyValueList.newBuilder();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < count; i++) {
      String key = "attr." + random.nextInt(40);
      if (keys.add(key)) {
        list.addValues(keyValue(key, anyValue(0)));
      }
    }
    return list.build();
  }

  private AnyValue anyValue(int depth) {
    int kind = random.nextInt(depth < 3 ? 9 : 6);
    return switch (kind) {
      case 0 -> string(word());
      case 1 -> AnyValue.newBuilder().setBoolValue(random.nextBoolean()).build();
      case 2 -> integer(random.nextLong() >> random.nextInt(64));
      case 3 ->
          AnyValue.newBuilder()
              .setDoubleValue(
                  switch (random.nextInt(8)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.NEGATIVE_INFINITY;
                    case 2 -> 1e300;
                    default -> random.nextDouble() * 1000 - 500;
                  })
              .build();
      case 4 -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(randomBytes(5))).build();
      case 5 -> AnyValue.getDefaultInstance(); // no value: dropped, or null inside JSON
      case 6, 7 -> {
        ArrayValue.Builder array = ArrayValue.newBuilder();
        int size = random.nextInt(4);
        boolean scalarsOnly = random.nextBoolean();
        for (int i = 0; i < size; i++) {
          array.addValues(scalarsOnly ? scalar() : anyValue(depth + 1));
        }
        yield AnyValue.newBuilder().setArrayValue(array).build();
      }
      default -> {
        KeyValueList.Builder kv = KeyValueList.newBuilder();
        int size = random.nextInt(3);
        for (int i = 0; i < size; i++) {
          kv.addValues(keyValue("k" + i, anyValue(depth + 1)));
        }
        yield AnyValue.newBuilder().setKvlistValue(kv).build();
      }
    };
  }

  private AnyValue scalar() {
    return switch (random.nextInt(4)) {
      case 0 -> string(word());
      case 1 -> AnyValue.newBuilder().setBoolValue(random.nextBoolean()).build();
      case 2 -> integer(random.nextInt(1000) - 500);
      default -> AnyValue.newBuilder().setDoubleValue(random.nextInt(100) / 4.0).build();
    };
  }

  private String word() {
    return WORDS[random.nextInt(WORDS.length)];
  }

  static KeyValue keyValue(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  static AnyValue string(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }

  static AnyValue integer(long value) {
    return AnyValue.newBuilder().setIntValue(value).build();
  }
}
