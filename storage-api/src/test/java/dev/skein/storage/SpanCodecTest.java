package dev.skein.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpanCodecTest {

  @Test
  void everyFieldSurvivesTheRoundTrip() {
    List<Span> spans = List.of(richSpan(), richChild(richSpan()), minimalSpan());

    assertThat(SpanCodec.decode(SpanCodec.encode(spans))).containsExactlyElementsOf(spans);
  }

  @Test
  void zipkin64BitTraceIdKeepsAZeroHighHalf() {
    Span span = minimalSpan().toBuilder().traceId(new TraceId(0, 0x1234L)).build();

    Span decoded = SpanCodec.decode(SpanCodec.encode(List.of(span))).get(0);

    assertThat(decoded.traceId()).isEqualTo(new TraceId(0, 0x1234L));
    assertThat(decoded.traceId().toShortestHex()).isEqualTo("0000000000001234");
  }

  @Test
  void extremeNumbersSurvive() {
    Span span =
        minimalSpan().toBuilder()
            .startEpochNanos(Long.MIN_VALUE)
            .durationNanos(Long.MAX_VALUE)
            .flags(-1)
            .addAttribute("min", Long.MIN_VALUE)
            .addAttribute("max", Long.MAX_VALUE)
            .addAttribute("nan", Double.NaN)
            .addAttribute("negative zero", -0.0d)
            .addAttribute("infinity", Double.NEGATIVE_INFINITY)
            .addEvent(new SpanEvent(Long.MAX_VALUE, "late", List.of()))
            .build();
    Span next = minimalSpan().toBuilder().spanId(7).startEpochNanos(Long.MAX_VALUE).build();

    List<Span> decoded = SpanCodec.decode(SpanCodec.encode(List.of(span, next)));

    assertThat(decoded).containsExactly(span, next);
    assertThat(decoded.get(0).attribute("negative zero").value()).isEqualTo(-0.0d);
  }

  @Test
  void anEmptyBatchRoundTrips() {
    assertThat(SpanCodec.decode(SpanCodec.encode(List.of()))).isEmpty();
  }

  @Test
  void repeatedStringsAreWrittenOnce() {
    String longText = "x".repeat(1000);
    List<Span> hundred = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      hundred.add(
          minimalSpan().toBuilder()
              .spanId(i)
              .service(longText + "service")
              .name(longText + "name")
              .addAttribute(longText + "key", longText + "value")
              .build());
    }

    byte[] encoded = SpanCodec.encode(hundred);

    // The four long strings once, then only ids, numbers and string references per span.
    assertThat(encoded.length).isBetween(4 * 1000, 4 * 1000 + 100 * 60);
    assertThat(SpanCodec.decode(encoded)).containsExactlyElementsOf(hundred);
  }

  @Test
  void decodesASliceOfALargerArray() {
    byte[] encoded = SpanCodec.encode(List.of(richSpan()));
    byte[] padded = new byte[encoded.length + 10];
    System.arraycopy(encoded, 0, padded, 3, encoded.length);

    assertThat(SpanCodec.decode(padded, 3, encoded.length)).containsExactly(richSpan());
  }

  @Test
  void everyTruncationIsReportedAsBadInput() {
    byte[] encoded = SpanCodec.encode(List.of(richSpan(), richChild(richSpan())));
    for (int length = 0; length < encoded.length; length++) {
      byte[] cut = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> SpanCodec.decode(cut))
          .as("cut at %d", length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void trailingBytesAreRejected() {
    byte[] encoded = SpanCodec.encode(List.of(minimalSpan()));
    byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);

    assertThatThrownBy(() -> SpanCodec.decode(longer))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after its last span");
  }

  @Test
  void anUnknownVersionIsRejected() {
    byte[] encoded = SpanCodec.encode(List.of(minimalSpan()));
    encoded[0] = 9;

    assertThatThrownBy(() -> SpanCodec.decode(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown version 9");
  }

  @Test
  void boundsOutsideTheArrayAreRejected() {
    byte[] encoded = SpanCodec.encode(List.of(minimalSpan()));

    assertThatThrownBy(() -> SpanCodec.decode(encoded, 2, encoded.length))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpanCodec.decode(encoded, -1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void randomBatchesRoundTrip() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<Span> spans = new ArrayList<>();
      int count = random.nextInt(20);
      for (int i = 0; i < count; i++) {
        spans.add(randomSpan(random));
      }
      assertThat(SpanCodec.decode(SpanCodec.encode(spans))).containsExactlyElementsOf(spans);
    }
  }

  static Span minimalSpan() {
    return Span.builder().traceId(new TraceId(1, 2)).spanId(3).build();
  }

  static Span richSpan() {
    return Span.builder()
        .traceId(TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736"))
        .spanId(0x00f067aa0ba902b7L)
        .service("checkout")
        .name("POST /cart/{id}")
        .kind(Span.Kind.SERVER)
        .startEpochNanos(1_760_000_000_123_456_789L)
        .durationNanos(12_345_678)
        .status(Span.Status.ERROR, "payment declined")
        .addAttribute("http.method", "POST")
        .addAttribute("http.status_code", 502L)
        .addAttribute("retry", true)
        .addAttribute("cached", false)
        .addAttribute("ratio", 0.25)
        .addAttribute("tags", List.of("a", "b \"quoted\""))
        .addAttribute("codes", List.of(1L, -2L))
        .addAttribute("weights", List.of(1.5, -0.0))
        .addAttribute("flags", List.of(true, false))
        .addAttribute("mixed", List.of("x", 1L, 2.5, true))
        .addAttribute("empty", List.of())
        .addAttribute("unicode", "naïve ✓ 日本")
        .addAttribute("", "")
        .addResourceAttribute(Attribute.of("host.name", "web-1"))
        .addResourceAttribute(Attribute.of("service.version", "1.4.2"))
        .addResourceAttribute(Attribute.of("process.pid", 4242L))
        .scope("io.opentelemetry.servlet", "2.1.0")
        .addEvent(new SpanEvent(1_760_000_000_123_456_789L + 5, "retry", List.of()))
        .addEvent(
            new SpanEvent(
                1_760_000_000_000_000_000L,
                "exception",
                List.of(Attribute.of("exception.type", "java.io.IOException"))))
        .addLink(
            new SpanLink(
                new TraceId(0, 99),
                0x77L,
                "vendor=x",
                List.of(Attribute.of("link.reason", "batch"))))
        .addLink(new SpanLink(new TraceId(5, 6), 8, "", List.of()))
        .traceState("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
        .flags(0x301)
        .build();
  }

  static Span richChild(Span parent) {
    return parent.toBuilder()
        .spanId(0x1111L)
        .parentSpanId(parent.spanId())
        .kind(Span.Kind.CLIENT)
        .name("SELECT orders")
        .startEpochNanos(parent.startEpochNanos() - 1000)
        .status(Span.Status.OK, null)
        .build();
  }

  private static Span randomSpan(Random random) {
    Span.Builder span =
        Span.builder()
            .traceId(new TraceId(random.nextLong(), random.nextLong() | 1))
            .spanId(random.nextLong() | 1)
            .service(randomText(random))
            .name(randomText(random))
            .kind(Span.Kind.values()[random.nextInt(Span.Kind.values().length)])
            .startEpochNanos(random.nextLong())
            .durationNanos(random.nextLong() & Long.MAX_VALUE)
            .status(Span.Status.values()[random.nextInt(3)], randomText(random))
            .scope(randomText(random), randomText(random))
            .traceState(randomText(random))
            .flags(random.nextInt());
    if (random.nextBoolean()) {
      span.parentSpanId(random.nextLong() & ~1L);
    }
    for (int i = random.nextInt(6); i > 0; i--) {
      span.addAttribute(randomText(random), randomValue(random, true));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      span.addResourceAttribute(
          new Attribute("r." + randomText(random), randomValue(random, true)));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      span.addEvent(
          new SpanEvent(
              random.nextLong(),
              randomText(random),
              List.of(new Attribute(randomText(random), randomValue(random, true)))));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      span.addLink(
          new SpanLink(
              new TraceId(random.nextLong() | 1, random.nextLong()),
              random.nextLong(),
              randomText(random),
              List.of()));
    }
    return span.build();
  }

  private static Object randomValue(Random random, boolean listAllowed) {
    switch (random.nextInt(listAllowed ? 5 : 4)) {
      case 0:
        return randomText(random);
      case 1:
        return random.nextBoolean();
      case 2:
        return random.nextLong();
      case 3:
        return Double.longBitsToDouble(random.nextLong());
      default:
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          list.add(randomValue(random, false));
        }
        return list;
    }
  }

  private static String randomText(Random random) {
    String[] common = {"", "GET", "checkout", "http.method", "日本", "a\u0000b"};
    if (random.nextBoolean()) {
      return common[random.nextInt(common.length)];
    }
    char[] chars = new char[random.nextInt(12)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) (' ' + random.nextInt(95));
    }
    return new String(chars);
  }
}
