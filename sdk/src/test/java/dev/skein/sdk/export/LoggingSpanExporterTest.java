package dev.skein.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import dev.skein.sdk.SpanLink;
import dev.skein.sdk.export.LoggingSpanExporter.Format;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoggingSpanExporterTest {

  private static final long START = 1_700_000_000_000_000_000L;

  private final StringBuilder out = new StringBuilder();

  @Test
  void text_writesOneReadableLinePerSpan() {
    export(Format.TEXT, fullSpan());

    assertThat(out)
        .hasToString(
            "\"GET /cart\" trace=0af7651916cd43dd8448eb211c80319c span=b7ad6b7169203331"
                + " parent=00f067aa0ba902b7(remote) kind=SERVER duration=1.500ms"
                + " status=ERROR(\"timeout\") scope=shop.http:1.2 attributes={http.method=\"GET\","
                + " http.status_code=500, ratio=0.25, cached=false, tags=[\"a\", \"b\"], sizes=[1,"
                + " 2]} events=[retry@+0.250ms{attempt=2}]\n");
  }

  @Test
  void text_marksARootAndLeavesOutWhatIsEmpty() {
    export(Format.TEXT, rootSpan());

    assertThat(out)
        .hasToString(
            "\"work\" trace=00000000000000010000000000000002 span=0000000000000003 parent=-"
                + " kind=INTERNAL duration=0.042ms status=UNSET scope=lib attributes={}"
                + " events=[]\n");
  }

  @Test
  void text_escapesLineBreaksSoEachSpanStaysOnOneLine() {
    FakeSpan span = rootSpan();
    span.name = "two\nlines";
    span.attribute("note", AttributeType.STRING, "a\r\nb");

    export(Format.TEXT, span);

    assertThat(out.toString()).containsOnlyOnce("\n").endsWith("\n");
    assertThat(out.toString())
        .startsWith("\"two\\u000alines\"")
        .contains("attributes={note=\"a\\u000d\\u000ab\"}");
  }

  @Test
  void jsonLines_writesOneObjectPerSpanWithTypedValues() {
    export(Format.JSON_LINES, fullSpan());

    assertThat(out)
        .hasToString(
            "{\"traceId\":\"0af7651916cd43dd8448eb211c80319c\",\"spanId\":\"b7ad6b7169203331\","
                + "\"parentSpanId\":\"00f067aa0ba902b7\",\"name\":\"GET /cart\",\"kind\":\"SERVER\","
                + "\"startEpochNanos\":1700000000000000000,\"endEpochNanos\":1700000000001500000,"
                + "\"durationNanos\":1500000,"
                + "\"status\":{\"code\":\"ERROR\",\"description\":\"timeout\"},"
                + "\"scope\":{\"name\":\"shop.http\",\"version\":\"1.2\"},"
                + "\"resource\":{\"service.name\":\"shop\"},"
                + "\"attributes\":{\"http.method\":\"GET\",\"http.status_code\":500,"
                + "\"ratio\":0.25,\"cached\":false,\"tags\":[\"a\",\"b\"],\"sizes\":[1,2]},"
                + "\"events\":[{\"name\":\"retry\",\"epochNanos\":1700000000000250000,"
                + "\"attributes\":{\"attempt\":2}}],"
                + "\"links\":[{\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"spanId\":\"00f067aa0ba902b7\",\"attributes\":{\"kind\":\"follows\"}}],"
                + "\"droppedAttributesCount\":1,\"droppedEventsCount\":2,\"droppedLinksCount\":3}\n");
  }

  @Test
  void jsonLines_writesARootWithAnEmptyParentAndEmptyCollections() {
    export(Format.JSON_LINES, rootSpan());

    assertThat(out)
        .hasToString(
            "{\"traceId\":\"00000000000000010000000000000002\",\"spanId\":\"0000000000000003\","
                + "\"parentSpanId\":\"\",\"name\":\"work\",\"kind\":\"INTERNAL\","
                + "\"startEpochNanos\":1700000000000000000,\"endEpochNanos\":1700000000000042000,"
                + "\"durationNanos\":42000,\"status\":{\"code\":\"UNSET\",\"description\":\"\"},"
                + "\"scope\":{\"name\":\"lib\",\"version\":\"\"},\"resource\":{},"
                + "\"attributes\":{},\"events\":[],\"links\":[],"
                + "\"droppedAttributesCount\":0,\"droppedEventsCount\":0,"
                + "\"droppedLinksCount\":0}\n");
  }

  @Test
  void jsonLines_escapesQuotesBackslashesAndControlCharacters() {
    FakeSpan span = rootSpan();
    span.name = "say \"hi\" C:\\dir\n\t\u0001\u001f\u007f";
    span.attribute("k\"ey", AttributeType.STRING, "\b\f\r");

    export(Format.JSON_LINES, span);

    assertThat(out.toString())
        .contains("\"name\":\"say \\\"hi\\\" C:\\\\dir\\u000a\\u0009\\u0001\\u001f\u007f\"")
        .contains("\"attributes\":{\"k\\\"ey\":\"\\u0008\\u000c\\u000d\"}");
  }

  @Test
  void jsonLines_escapesLineSeparatorsAndLoneSurrogatesButKeepsPairs() {
    FakeSpan span = rootSpan();
    span.name = "\u2028\u2029 \uD83D\uDE00 \uD83D \uDE00 é";

    export(Format.JSON_LINES, span);

    assertThat(out.toString())
        .contains("\"name\":\"\\u2028\\u2029 \uD83D\uDE00 \\ud83d \\ude00 é\"");
  }

  @Test
  void jsonLines_writesNonFiniteDoublesAsStrings() {
    FakeSpan span = rootSpan();
    span.attribute("nan", AttributeType.DOUBLE, Double.NaN);
    span.attribute("up", AttributeType.DOUBLE, Double.POSITIVE_INFINITY);
    span.attribute("down", AttributeType.DOUBLE, Double.NEGATIVE_INFINITY);
    span.attribute("big", AttributeType.DOUBLE, 1e300);
    span.attribute("mixed", AttributeType.DOUBLE_ARRAY, List.of(1.5, Double.NaN, -0.0));
    span.attribute("flags", AttributeType.BOOLEAN_ARRAY, List.of(true, false));
    span.attribute("none", AttributeType.STRING_ARRAY, List.of());

    export(Format.JSON_LINES, span);

    assertThat(out.toString())
        .contains(
            "\"attributes\":{\"nan\":\"NaN\",\"up\":\"Infinity\",\"down\":\"-Infinity\","
                + "\"big\":1.0E300,\"mixed\":[1.5,\"NaN\",-0.0],\"flags\":[true,false],"
                + "\"none\":[]}");
  }

  @Test
  void export_writesABatchAsConsecutiveLinesInOrder() {
    FakeSpan a = rootSpan();
    a.name = "a";
    FakeSpan b = rootSpan();
    b.name = "b";

    LoggingSpanExporter exporter =
        LoggingSpanExporter.builder().setOutput(out).setFormat(Format.TEXT).build();
    assertThat(exporter.export(List.of(a, b))).isCompleted();

    assertThat(out.toString().split("\n"))
        .hasSize(2)
        .satisfiesExactly(
            line -> assertThat(line).startsWith("\"a\" "),
            line -> assertThat(line).startsWith("\"b\" "));
  }

  @Test
  void export_neverInterleavesTheLinesOfConcurrentBatches() throws Exception {
    LoggingSpanExporter exporter =
        LoggingSpanExporter.builder().setOutput(out).setFormat(Format.JSON_LINES).build();
    int threads = 4;
    int batchesPerThread = 50;
    int batchSize = 20;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int b = 0; b < batchesPerThread; b++) {
                    List<SpanData> batch = new ArrayList<>();
                    for (int i = 0; i < batchSize; i++) {
                      FakeSpan span = rootSpan();
                      span.name = thread + "-" + b;
                      batch.add(span);
                    }
                    exporter.export(batch).join();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> result : results) {
        result.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(threads * batchesPerThread * batchSize);
    for (int i = 0; i < lines.length; i += batchSize) {
      String batchName = lines[i].substring(lines[i].indexOf("\"name\":"));
      batchName = batchName.substring(0, batchName.indexOf(','));
      for (int j = i; j < i + batchSize; j++) {
        assertThat(lines[j]).as("line %s", j).contains(batchName + ",");
      }
    }
  }

  @Test
  void export_completesExceptionallyWhenTheOutputThrows() {
    IOException failure = new IOException("disk full");
    Appendable broken =
        new Appendable() {
          @Override
          public Appendable append(CharSequence csq) throws IOException {
            throw failure;
          }

          @Override
          public Appendable append(CharSequence csq, int start, int end) throws IOException {
            throw failure;
          }

          @Override
          public Appendable append(char c) throws IOException {
            throw failure;
          }
        };
    LoggingSpanExporter exporter = LoggingSpanExporter.builder().setOutput(broken).build();

    CompletableFuture<Void> result = exporter.export(List.of(rootSpan()));

    assertThat(result).isCompletedExceptionally();
    assertThat(result).failsWithin(0, TimeUnit.SECONDS).withThrowableThat().withCause(failure);
  }

  @Test
  void export_completesExceptionallyWhenAPrintStreamReportsAnError() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("pipe closed");
          }
        };
    LoggingSpanExporter exporter =
        LoggingSpanExporter.builder().setOutput(new PrintStream(broken)).build();

    assertThat(exporter.export(List.of(rootSpan()))).isCompletedExceptionally();
  }

  @Test
  void export_failsAfterShutdownWithoutWriting() {
    LoggingSpanExporter exporter = LoggingSpanExporter.builder().setOutput(out).build();

    assertThat(exporter.shutdown()).isCompleted();
    assertThat(exporter.export(List.of(rootSpan()))).isCompletedExceptionally();
    assertThat(out).isEmpty();
  }

  @Test
  void textAndJsonLines_writeToSystemOutByDefault() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LoggingSpanExporter.text().export(List.of(rootSpan())).join();
      LoggingSpanExporter.jsonLines().export(List.of(rootSpan())).join();
    } finally {
      System.setOut(original);
    }

    String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("\"work\" trace=");
    assertThat(lines[1]).startsWith("{\"traceId\":");
  }

  @Test
  void durations_areMillisecondsWithThreeDecimals() {
    assertThat(millis(0)).isEqualTo("0.000ms");
    assertThat(millis(999)).isEqualTo("0.000ms");
    assertThat(millis(1_000)).isEqualTo("0.001ms");
    assertThat(millis(12_345_678)).isEqualTo("12.345ms");
    assertThat(millis(3_600_000_000_000L)).isEqualTo("3600000.000ms");
    assertThat(millis(-250_000)).isEqualTo("-0.250ms");
  }

  private static String millis(long nanos) {
    StringBuilder s = new StringBuilder();
    LoggingSpanFormatter.appendMillis(s, nanos);
    return s.toString();
  }

  private void export(Format format, SpanData span) {
    LoggingSpanExporter exporter =
        LoggingSpanExporter.builder().setOutput(out).setFormat(format).build();
    assertThat(exporter.export(List.of(span))).isCompleted();
  }

  private static FakeSpan rootSpan() {
    FakeSpan span = new FakeSpan();
    span.traceIdHigh = 1;
    span.traceIdLow = 2;
    span.spanId = 3;
    span.name = "work";
    span.kind = SpanKind.INTERNAL;
    span.scope = new InstrumentationScope("lib", "", "");
    span.startEpochNanos = START;
    span.endEpochNanos = START + 42_000;
    return span;
  }

  private static FakeSpan fullSpan() {
    FakeSpan span = new FakeSpan();
    span.traceIdHigh = 0x0af7651916cd43ddL;
    span.traceIdLow = 0x8448eb211c80319cL;
    span.spanId = 0xb7ad6b7169203331L;
    span.parentSpanId = 0x00f067aa0ba902b7L;
    span.remoteParent = true;
    span.name = "GET /cart";
    span.kind = SpanKind.SERVER;
    span.scope = new InstrumentationScope("shop.http", "1.2", "");
    span.resource = Attributes.of(AttributeKey.stringKey("service.name"), "shop");
    span.startEpochNanos = START;
    span.endEpochNanos = START + 1_500_000;
    span.attribute("http.method", AttributeType.STRING, "GET");
    span.attribute("http.status_code", AttributeType.LONG, 500L);
    span.attribute("ratio", AttributeType.DOUBLE, 0.25);
    span.attribute("cached", AttributeType.BOOLEAN, false);
    span.attribute("tags", AttributeType.STRING_ARRAY, List.of("a", "b"));
    span.attribute("sizes", AttributeType.LONG_ARRAY, List.of(1L, 2L));
    span.events =
        List.of(
            new SpanEvent(
                "retry", START + 250_000, Attributes.of(AttributeKey.longKey("attempt"), 2L), 0));
    span.links =
        List.of(
            new SpanLink(
                SpanContext.create(
                    "4bf92f3577b34da6a3ce929d0e0e4736",
                    "00f067aa0ba902b7",
                    TraceFlags.getSampled(),
                    TraceState.getDefault()),
                Attributes.of(AttributeKey.stringKey("kind"), "follows"),
                0));
    span.statusCode = StatusCode.ERROR;
    span.statusDescription = "timeout";
    span.droppedAttributes = 1;
    span.droppedEvents = 2;
    span.droppedLinks = 3;
    return span;
  }

  /** An ended span whose every field a test sets directly. */
  static final class FakeSpan implements SpanData {
    long traceIdHigh;
    long traceIdLow;
    long spanId;
    long parentSpanId;
    boolean remoteParent;
    String name;
    SpanKind kind;
    InstrumentationScope scope;
    Attributes resource = Attributes.empty();
    long startEpochNanos;
    long endEpochNanos;
    final List<String> keys = new ArrayList<>();
    final List<AttributeType> types = new ArrayList<>();
    final List<Object> values = new ArrayList<>();
    List<SpanEvent> events = List.of();
    List<SpanLink> links = List.of();
    StatusCode statusCode = StatusCode.UNSET;
    String statusDescription = "";
    int droppedAttributes;
    int droppedEvents;
    int droppedLinks;

    void attribute(String key, AttributeType type, Object value) {
      keys.add(key);
      types.add(type);
      values.add(value);
    }

    @Override
    public long traceIdHigh() {
      return traceIdHigh;
    }

    @Override
    public long traceIdLow() {
      return traceIdLow;
    }

    @Override
    public long spanId() {
      return spanId;
    }

    @Override
    public long parentSpanId() {
      return parentSpanId;
    }

    @Override
    public boolean hasRemoteParent() {
      return remoteParent;
    }

    @Override
    public SpanContext spanContext() {
      return SpanContext.create(
          String.format("%016x%016x", traceIdHigh, traceIdLow),
          String.format("%016x", spanId),
          TraceFlags.getSampled(),
          TraceState.getDefault());
    }

    @Override
    public boolean isSampled() {
      return true;
    }

    @Override
    public String name() {
      return name;
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
      return resource;
    }

    @Override
    public long startEpochNanos() {
      return startEpochNanos;
    }

    @Override
    public long endEpochNanos() {
      return endEpochNanos;
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public int attributeCount() {
      return keys.size();
    }

    @Override
    public String attributeKey(int index) {
      return keys.get(index);
    }

    @Override
    public AttributeType attributeType(int index) {
      return types.get(index);
    }

    @Override
    public Object attributeValue(int index) {
      return values.get(index);
    }

    @Override
    public Attributes attributes() {
      // Only the string attributes; the exporter reads by index and never calls this.
      AttributesBuilder builder = Attributes.builder();
      for (int i = 0; i < keys.size(); i++) {
        if (types.get(i) == AttributeType.STRING) {
          builder.put(keys.get(i), (String) values.get(i));
        }
      }
      return builder.build();
    }

    @Override
    public List<SpanEvent> events() {
      return events;
    }

    @Override
    public List<SpanLink> links() {
      return links;
    }

    @Override
    public StatusCode statusCode() {
      return statusCode;
    }

    @Override
    public String statusDescription() {
      return statusDescription;
    }

    @Override
    public int droppedAttributeCount() {
      return droppedAttributes;
    }

    @Override
    public int droppedEventCount() {
      return droppedEvents;
    }

    @Override
    public int droppedLinkCount() {
      return droppedLinks;
    }
  }
}
