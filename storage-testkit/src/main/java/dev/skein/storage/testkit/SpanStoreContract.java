package dev.skein.storage.testkit;

import static dev.skein.storage.testkit.Fixtures.DAY;
import static dev.skein.storage.testkit.Fixtures.MILLI;
import static dev.skein.storage.testkit.Fixtures.MINUTE_MILLIS;
import static dev.skein.storage.testkit.Fixtures.SECOND;
import static dev.skein.storage.testkit.Fixtures.T0;
import static dev.skein.storage.testkit.Fixtures.T0_MILLIS;
import static dev.skein.storage.testkit.Fixtures.everyFieldSpan;
import static dev.skein.storage.testkit.Fixtures.metric;
import static dev.skein.storage.testkit.Fixtures.span;
import static dev.skein.storage.testkit.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skein.storage.Attribute;
import dev.skein.storage.DependencyLink;
import dev.skein.storage.LatencyHistogram;
import dev.skein.storage.Operation;
import dev.skein.storage.Span;
import dev.skein.storage.SpanMetric;
import dev.skein.storage.SpanStore;
import dev.skein.storage.StoreException;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link SpanStore} owes the server, as JUnit 5 tests. A store's test extends
 * this class and says how to open the store:
 *
 * <pre>{@code
 * class MyStoreTest extends SpanStoreContract {
 *   protected SpanStore openStore(Path dir) {
 *     return MyStore.open(dir);
 *   }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh, empty directory and a store opened on it. A store that keeps its data
 * on disk extends {@link PersistentSpanStoreContract} instead, which adds the reopen tests.
 */
public abstract class SpanStoreContract {

  @TempDir private Path dir;

  /** The store under test; each test starts with an empty one. */
  protected SpanStore store;

  private boolean closed;

  /**
   * Opens the store on {@code dir}, which is empty for a new store and holds what a closed store
   * left there when the kit reopens. A store that keeps nothing on disk ignores it.
   */
  protected abstract SpanStore openStore(Path dir);

  @BeforeEach
  void openFreshStore() {
    store = openStore(dir);
    closed = false;
  }

  @AfterEach
  void closeStore() {
    if (!closed) {
      store.close();
    }
  }

  /** Called halfway through the random tests' writes; a persistent store reopens there. */
  void midwayThroughWrites() {}

  /** Syncs, closes and opens the store again on the same directory. */
  final void reopen() {
    store.sync();
    store.close();
    store = openStore(dir);
  }

  // ---------------------------------------------------------------- write and read back

  @Test
  void everySpanFieldReadsBackAsWritten() {
    Span rich = everyFieldSpan(traceId(1), 0x0af7651916cd43ddL);
    Span child =
        rich.toBuilder()
            .spanId(0x1111_2222_3333_4444L)
            .parentSpanId(rich.spanId())
            .kind(Span.Kind.CLIENT)
            .status(Span.Status.OK, "")
            .startEpochNanos(rich.startEpochNanos() + 123_456_789)
            .build();

    store.write(List.of(rich, child));

    assertThat(store.trace(traceId(1))).containsExactlyInAnyOrder(rich, child);
    assertThat(store.trace(traceId(1)))
        .filteredOn(span -> span.spanId() == rich.spanId())
        .singleElement()
        .usingRecursiveComparison()
        .isEqualTo(rich);
  }

  @Test
  void spansWithOnlyTheRequiredFieldsReadBack() {
    Span bare = Span.builder().traceId(traceId(2)).spanId(1).build();
    Span noStart = span(traceId(3), 2, "zipkin-client", "get", 0).durationNanos(0).build();

    store.write(List.of(bare, noStart));

    assertThat(store.trace(traceId(2))).containsExactly(bare);
    assertThat(store.trace(traceId(3))).containsExactly(noStart);
  }

  @Test
  void zipkin64BitTraceIdsAreTheirOwnTraces() {
    TraceId short64 = new TraceId(0, 0x463ac35c9f6413adL);
    TraceId long128 = new TraceId(0x48485a3953bb6124L, 0x463ac35c9f6413adL);
    Span a = span(short64, 1, "zipkin", "get", T0).build();
    Span b = span(long128, 1, "zipkin", "get", T0 + 1).build();

    store.write(List.of(a, b));

    assertThat(store.trace(short64)).containsExactly(a);
    assertThat(store.trace(long128)).containsExactly(b);
    assertThat(store.findTraceIds(TraceQuery.window(T0 - SECOND, T0 + SECOND, 10)))
        .containsExactly(long128, short64);
  }

  @Test
  void aTraceReadsBackWholeAndAlone() {
    List<Span> first = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      // Days apart: a long batch job's trace.
      first.add(span(traceId(10), i, "batch", "step " + i, T0 + i * DAY + i).build());
    }
    Span other = span(traceId(11), 1, "batch", "step", T0).build();
    store.write(List.of(first.get(0), other, first.get(1)));
    store.write(first.subList(2, 5));

    assertThat(store.trace(traceId(10))).containsExactlyInAnyOrderElementsOf(first);
    assertThat(store.trace(traceId(11))).containsExactly(other);
    List<Span> streamed = new ArrayList<>();
    store.readTrace(traceId(10), streamed::add);
    assertThat(streamed).containsExactlyInAnyOrderElementsOf(first);
  }

  @Test
  void anUnknownTraceReadsNothing() {
    store.write(List.of(span(traceId(20), 1, "web", "get", T0).build()));
    store.write(List.of());

    assertThat(store.trace(traceId(21))).isEmpty();
    AtomicLong calls = new AtomicLong();
    store.readTrace(traceId(21), span -> calls.incrementAndGet());
    assertThat(calls).hasValue(0);
  }

  @Test
  void aReplayedSpanIsKeptOnce() {
    Span root = span(traceId(30), 1, "web", "get", T0).build();
    Span child = span(traceId(30), 2, "web", "db", T0 + MILLI).parentSpanId(1).build();

    store.write(List.of(root, child));
    store.write(List.of(root, child));
    store.write(List.of(child, child));
    store.write(List.of(span(traceId(31), 1, "web", "get", T0 + SECOND).build()));
    store.write(List.of(root));

    assertThat(store.trace(traceId(30))).containsExactlyInAnyOrder(root, child);
    assertThat(store.findTraceIds(query("web").build())).containsExactly(traceId(31), traceId(30));
  }

  @Test
  void aRewrittenSpanReplacesTheStoredOne() {
    Span first = span(traceId(40), 1, "web", "get", T0).addAttribute("version", 1L).build();
    Span second = first.toBuilder().clearAttributes().addAttribute("version", 2L).build();
    Span moved =
        first.toBuilder()
            .clearAttributes()
            .addAttribute("version", 3L)
            .startEpochNanos(T0 + 3 * DAY)
            .build();

    store.write(List.of(first));
    store.write(List.of(second));
    assertThat(store.trace(traceId(40))).containsExactly(second);
    assertThat(store.findTraceIds(query("web").tag("version", "1").build())).isEmpty();
    assertThat(store.findTraceIds(query("web").tag("version", "2").build()))
        .containsExactly(traceId(40));

    // The same span again, now with another start: still one copy, the newest.
    store.write(List.of(moved));
    assertThat(store.trace(traceId(40))).containsExactly(moved);
    assertThat(store.findTraceIds(query("web").tag("version", "2").build())).isEmpty();
  }

  // ---------------------------------------------------------------- search

  @Test
  void searchByServiceFindsItsTracesOnly() {
    store.write(
        List.of(
            span(traceId(50), 1, "web", "get", T0).build(),
            span(traceId(51), 1, "web", "get", T0 + 1).build(),
            span(traceId(52), 1, "db", "select", T0 + 2).build()));

    assertThat(store.findTraceIds(query("web").build())).containsExactly(traceId(51), traceId(50));
    assertThat(store.findTraceIds(query("db").build())).containsExactly(traceId(52));
    assertThat(store.findTraceIds(query("nobody").build())).isEmpty();
  }

  @Test
  void searchByServiceAndOperation() {
    store.write(
        List.of(
            span(traceId(60), 1, "web", "GET /cart", T0).build(),
            span(traceId(61), 1, "web", "POST /cart", T0 + 1).build(),
            span(traceId(62), 1, "api", "GET /cart", T0 + 2).build()));

    assertThat(store.findTraceIds(query("web").operation("GET /cart").build()))
        .containsExactly(traceId(60));
    assertThat(store.findTraceIds(query(null).operation("GET /cart").build()))
        .containsExactly(traceId(62), traceId(60));
    assertThat(store.findTraceIds(query("web").operation("DELETE /cart").build())).isEmpty();
  }

  @Test
  void everyTagMustHoldOnTheSameSpan() {
    store.write(
        List.of(
            span(traceId(70), 1, "web", "get", T0)
                .addAttribute("http.method", "GET")
                .addAttribute("http.route", "/cart")
                .build(),
            // Both tags in the trace, but on different spans.
            span(traceId(71), 1, "web", "get", T0 + 1).addAttribute("http.method", "GET").build(),
            span(traceId(71), 2, "web", "get", T0 + 2).addAttribute("http.route", "/cart").build(),
            span(traceId(72), 1, "web", "get", T0 + 3)
                .addAttribute("http.method", "POST")
                .addAttribute("http.route", "/cart")
                .build()));

    assertThat(
            store.findTraceIds(
                query("web").tag("http.method", "GET").tag("http.route", "/cart").build()))
        .containsExactly(traceId(70));
    assertThat(store.findTraceIds(query("web").tag("http.route", "/cart").build()))
        .containsExactly(traceId(72), traceId(71), traceId(70));
  }

  @Test
  void tagsMatchResourceAttributesToo() {
    store.write(
        List.of(
            span(traceId(80), 1, "web", "get", T0)
                .addResourceAttribute(Attribute.of("host.name", "web-1"))
                .addAttribute("http.method", "GET")
                .build(),
            span(traceId(81), 1, "web", "get", T0 + 1)
                .addResourceAttribute(Attribute.of("host.name", "web-2"))
                .addAttribute("http.method", "GET")
                .build()));

    assertThat(store.findTraceIds(query("web").tag("host.name", "web-1").build()))
        .containsExactly(traceId(80));
    assertThat(
            store.findTraceIds(
                query("web").tag("host.name", "web-2").tag("http.method", "GET").build()))
        .containsExactly(traceId(81));
    assertThat(store.findTraceIds(query("web").tag("host.name", "web-3").build())).isEmpty();
  }

  @Test
  void aTagWithoutValueOnlyAsksForTheKey() {
    store.write(
        List.of(
            span(traceId(90), 1, "web", "get", T0).addAttribute("error", true).build(),
            span(traceId(91), 1, "web", "get", T0 + 1).addAttribute("error", "timeout").build(),
            span(traceId(92), 1, "web", "get", T0 + 2).addAttribute("http.method", "GET").build(),
            span(traceId(93), 1, "web", "get", T0 + 3)
                .addResourceAttribute(Attribute.of("error", "resource says so"))
                .build()));

    assertThat(store.findTraceIds(query("web").tag("error", null).build()))
        .containsExactly(traceId(93), traceId(91), traceId(90));
    assertThat(store.findTraceIds(query(null).tag("error", null).build()))
        .containsExactly(traceId(93), traceId(91), traceId(90));
    assertThat(store.findTraceIds(query("web").tag("missing", null).build())).isEmpty();
  }

  @Test
  void tagValuesMatchTheTextOfEveryValueType() {
    store.write(
        List.of(
            span(traceId(100), 1, "web", "get", T0)
                .addAttribute("http.status_code", 503L)
                .addAttribute("retry", true)
                .addAttribute("ratio", 0.5)
                .addAttribute("tags", List.of("a", "b"))
                .addAttribute("codes", List.of(1L, 2L))
                .build()));

    for (Map.Entry<String, String> tag :
        Map.of(
                "http.status_code", "503",
                "retry", "true",
                "ratio", "0.5",
                "tags", "[\"a\",\"b\"]",
                "codes", "[1,2]")
            .entrySet()) {
      assertThat(store.findTraceIds(query("web").tag(tag.getKey(), tag.getValue()).build()))
          .as("tag %s", tag)
          .containsExactly(traceId(100));
    }
    assertThat(store.findTraceIds(query("web").tag("http.status_code", "500").build())).isEmpty();
    assertThat(store.findTraceIds(query("web").tag("retry", "false").build())).isEmpty();
  }

  @Test
  void serviceNameAsATagNamesTheService() {
    store.write(
        List.of(
            span(traceId(105), 1, "web", "get", T0).build(),
            span(traceId(106), 1, "db", "select", T0 + 1).build()));

    assertThat(store.findTraceIds(query(null).tag(Span.SERVICE_NAME, "web").build()))
        .containsExactly(traceId(105));
  }

  @Test
  void everyConditionMustHoldOnOneSpan() {
    store.write(
        List.of(
            span(traceId(110), 1, "front", "GET /", T0).durationNanos(MILLI).build(),
            span(traceId(110), 2, "back", "query", T0 + MILLI)
                .parentSpanId(1)
                .durationNanos(900 * MILLI)
                .addAttribute("db.system", "postgresql")
                .build()));

    assertThat(store.findTraceIds(query("front").tag("db.system", "postgresql").build())).isEmpty();
    assertThat(store.findTraceIds(query("front").operation("query").build())).isEmpty();
    assertThat(store.findTraceIds(query("front").minDuration(500 * MILLI).build())).isEmpty();
    assertThat(store.findTraceIds(query("back").operation("GET /").build())).isEmpty();
    assertThat(store.findTraceIds(query("back").tag("db.system", "postgresql").build()))
        .containsExactly(traceId(110));
    assertThat(store.findTraceIds(query("back").minDuration(500 * MILLI).build()))
        .containsExactly(traceId(110));
    // A window holding only the front span: the tag on the back span is outside it.
    assertThat(
            store.findTraceIds(
                query(null).tag("db.system", "postgresql").window(T0, T0 + MILLI - 1).build()))
        .isEmpty();
  }

  @Test
  void durationBoundsAreInclusive() {
    long duration = 250 * MILLI + 17;
    store.write(List.of(span(traceId(120), 1, "web", "get", T0).durationNanos(duration).build()));

    assertThat(store.findTraceIds(query("web").minDuration(duration).build())).hasSize(1);
    assertThat(store.findTraceIds(query("web").minDuration(duration + 1).build())).isEmpty();
    assertThat(store.findTraceIds(query("web").maxDuration(duration).build())).hasSize(1);
    assertThat(store.findTraceIds(query("web").maxDuration(duration - 1).build())).isEmpty();
    assertThat(store.findTraceIds(query("web").minDuration(duration).maxDuration(duration).build()))
        .hasSize(1);
  }

  @Test
  void timeWindowBoundsAreInclusive() {
    long start = T0 + 123_456_789;
    store.write(List.of(span(traceId(130), 1, "web", "get", start).build()));

    assertThat(store.findTraceIds(query("web").window(start, start).build())).hasSize(1);
    assertThat(store.findTraceIds(query("web").window(start - DAY, start).build())).hasSize(1);
    assertThat(store.findTraceIds(query("web").window(start, start + DAY).build())).hasSize(1);
    assertThat(store.findTraceIds(query("web").window(start + 1, start + DAY).build())).isEmpty();
    assertThat(store.findTraceIds(query("web").window(start - DAY, start - 1).build())).isEmpty();
  }

  @Test
  void aWindowEndingBetweenTwoSpansOfOneTraceFindsTheEarlierOne() {
    store.write(
        List.of(
            span(traceId(135), 1, "web", "get", T0).addAttribute("user.id", "u1").build(),
            span(traceId(135), 2, "web", "get", T0 + 800 * MILLI)
                .parentSpanId(1)
                .addAttribute("user.id", "u1")
                .build()));

    assertThat(
            store.findTraceIds(
                query("web").tag("user.id", "u1").window(T0 - SECOND, T0 + MILLI).build()))
        .containsExactly(traceId(135));
    assertThat(store.findTraceIds(query("web").window(T0 + 1, T0 + 100 * MILLI).build())).isEmpty();
  }

  @Test
  void newestFirstByTheNewestMatchingSpan() {
    store.write(
        List.of(
            span(traceId(140), 1, "web", "match", T0 + 10 * SECOND).build(),
            span(traceId(140), 2, "web", "other", T0 + 100 * SECOND).parentSpanId(1).build(),
            span(traceId(141), 1, "web", "match", T0 + 50 * SECOND).build()));

    assertThat(store.findTraceIds(query("web").operation("match").build()))
        .containsExactly(traceId(141), traceId(140));
    assertThat(store.findTraceIds(query("web").build()))
        .containsExactly(traceId(140), traceId(141));
  }

  @Test
  void theLimitKeepsTheNewestTraces() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      // Written out of time order.
      int n = (i * 37) % 60;
      spans.add(span(traceId(1000 + n), 1, "web", "get", T0 + n * SECOND).build());
    }
    store.write(spans);

    List<TraceId> expected = new ArrayList<>();
    for (int n = 59; n >= 50; n--) {
      expected.add(traceId(1000 + n));
    }
    assertThat(store.findTraceIds(query("web").limit(10).build()))
        .containsExactlyElementsOf(expected);
    assertThat(store.findTraceIds(query("web").limit(1000).build())).hasSize(60);
  }

  @Test
  void aTraceWithManyMatchingSpansIsListedOnce() {
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      spans.add(span(traceId(150), i, "web", "get", T0 + i * MILLI).build());
    }
    spans.add(span(traceId(151), 1, "web", "get", T0).build());
    store.write(spans);

    assertThat(store.findTraceIds(query("web").limit(2).build()))
        .containsExactly(traceId(150), traceId(151));
  }

  @Test
  void aWindowQueryListsTracesOfEveryServiceAcrossDays() {
    List<Span> spans = new ArrayList<>();
    for (int day = 0; day < 4; day++) {
      spans.add(span(traceId(160 + day), 1, "svc" + day, "op", T0 + day * DAY).build());
    }
    store.write(spans);

    assertThat(store.findTraceIds(TraceQuery.window(T0, T0 + 3 * DAY, 10)))
        .containsExactly(traceId(163), traceId(162), traceId(161), traceId(160));
    assertThat(store.findTraceIds(TraceQuery.window(T0 + 1, T0 + 2 * DAY, 10)))
        .containsExactly(traceId(162), traceId(161));
    assertThat(store.findTraceIds(TraceQuery.window(T0, T0 + 3 * DAY, 3)))
        .containsExactly(traceId(163), traceId(162), traceId(161));
  }

  @Test
  void randomQueriesOverDaysAgreeWithTheDefinition() {
    checkRandomQueries(new RandomTraces(7, 300, 3 * DAY));
  }

  @Test
  void randomQueriesOverABusyFewMinutesAgreeWithTheDefinition() {
    checkRandomQueries(new RandomTraces(8, 1500, 5 * 60 * SECOND));
  }

  /** Writes the traces shuffled in small batches, then checks searches and reads. */
  private void checkRandomQueries(RandomTraces traces) {
    List<Span> writes = traces.writes();
    int half = writes.size() / 2;
    for (int i = 0; i < writes.size(); i += 37) {
      store.write(writes.subList(i, Math.min(i + 37, writes.size())));
      if (i <= half && i + 37 > half) {
        midwayThroughWrites();
      }
    }

    for (TraceQuery query : traces.queries(300)) {
      assertThat(store.findTraceIds(query)).as("%s", query).isEqualTo(traces.expected(query));
    }
    for (TraceId id : traces.traceIds()) {
      assertThat(store.trace(id)).containsExactlyInAnyOrderElementsOf(traces.spansOf(id));
    }
  }

  // ---------------------------------------------------------------- services and tags

  @Test
  void servicesAreListedSorted() {
    store.write(
        List.of(
            span(traceId(200), 1, "web", "get", T0).build(),
            span(traceId(200), 2, "api", "get", T0).build(),
            span(traceId(201), 1, "db", "select", T0).build(),
            span(traceId(201), 2, "web", "post", T0).build()));

    assertThat(store.services()).containsExactly("api", "db", "web");
  }

  @Test
  void operationsComeWithTheirKindsSortedByNameThenKind() {
    store.write(
        List.of(
            span(traceId(210), 1, "web", "get", T0).kind(Span.Kind.SERVER).build(),
            span(traceId(210), 2, "web", "get", T0).kind(Span.Kind.CLIENT).build(),
            span(traceId(210), 3, "web", "call", T0).kind(Span.Kind.INTERNAL).build(),
            span(traceId(211), 1, "web", "get", T0).kind(Span.Kind.SERVER).build(),
            span(traceId(211), 2, "db", "select", T0).kind(Span.Kind.SERVER).build()));

    assertThat(store.operations("web"))
        .containsExactly(
            new Operation("call", Span.Kind.INTERNAL),
            new Operation("get", Span.Kind.SERVER),
            new Operation("get", Span.Kind.CLIENT));
    assertThat(store.operations("db")).containsExactly(new Operation("select", Span.Kind.SERVER));
    assertThat(store.operations("nobody")).isEmpty();
  }

  @Test
  void remoteServicesComeFromPeerService() {
    store.write(
        List.of(
            span(traceId(220), 1, "web", "get", T0).addAttribute(Span.PEER_SERVICE, "db").build(),
            span(traceId(220), 2, "web", "get", T0)
                .addAttribute(Span.PEER_SERVICE, "cache")
                .build(),
            span(traceId(221), 1, "web", "get", T0).addAttribute(Span.PEER_SERVICE, "db").build(),
            span(traceId(221), 2, "api", "get", T0).build()));

    assertThat(store.remoteServices("web")).containsExactly("cache", "db");
    assertThat(store.remoteServices("api")).isEmpty();
    assertThat(store.remoteServices("nobody")).isEmpty();
  }

  @Test
  void tagKeysAndValuesAreListedSorted() {
    store.write(
        List.of(
            span(traceId(230), 1, "web", "get", T0)
                .addAttribute("http.method", "POST")
                .addAttribute("http.status_code", 200L)
                .build(),
            span(traceId(230), 2, "web", "get", T0)
                .addAttribute("http.method", "GET")
                .addAttribute("http.status_code", 404L)
                .build(),
            span(traceId(231), 1, "db", "select", T0).addAttribute("http.method", "GET").build()));

    assertThat(store.tagKeys()).containsSubsequence("http.method", "http.status_code").isSorted();
    assertThat(store.tagValues("http.method")).containsExactly("GET", "POST");
    assertThat(store.tagValues("http.status_code")).containsExactly("200", "404");
    assertThat(store.tagValues("missing")).isEmpty();
  }

  // ---------------------------------------------------------------- metrics and links

  @Test
  void metricsOfTheSameKeyAddUp() {
    store.writeMetrics(
        List.of(
            metric(T0_MILLIS, "web", "get", 10, 1, 5_000, 3),
            metric(T0_MILLIS, "web", "post", 4, 0, 800, 0)));
    store.writeMetrics(List.of(metric(T0_MILLIS, "web", "get", 5, 2, 1_000, 7)));
    SpanMetric client =
        new SpanMetric(
            T0_MILLIS, "web", "get", Span.Kind.CLIENT, 1, 0, 9, new long[LatencyHistogram.BUCKETS]);
    store.writeMetrics(List.of(client));

    List<SpanMetric> found = store.metrics("web", T0_MILLIS, T0_MILLIS);
    assertThat(found).contains(client);
    found = found.stream().filter(metric -> metric.kind() == Span.Kind.SERVER).toList();

    SpanMetric summed =
        metric(T0_MILLIS, "web", "get", 10, 1, 5_000, 3)
            .plus(metric(T0_MILLIS, "web", "get", 5, 2, 1_000, 7));
    assertThat(found).containsExactly(summed, metric(T0_MILLIS, "web", "post", 4, 0, 800, 0));
    assertThat(found.get(0).count()).isEqualTo(15);
    assertThat(found.get(0).bucketCounts()[3]).isEqualTo(1);
    assertThat(found.get(0).bucketCounts()[7]).isEqualTo(1);
  }

  @Test
  void metricsAreFilteredByServiceAndMinuteWindow() {
    long m0 = T0_MILLIS;
    long m1 = m0 + MINUTE_MILLIS;
    long m2 = m0 + 2 * MINUTE_MILLIS;
    store.writeMetrics(
        List.of(
            metric(m2, "web", "a", 1, 0, 10, 0),
            metric(m0, "web", "b", 1, 0, 10, 0),
            metric(m1, "web", "b", 2, 0, 10, 0),
            metric(m1, "web", "a", 3, 0, 10, 0),
            metric(m1, "db", "a", 4, 0, 10, 0),
            metric(m1, "api", "c", 5, 0, 10, 0)));

    assertThat(store.metrics("web", m0, m1))
        .containsExactly(
            metric(m0, "web", "b", 1, 0, 10, 0),
            metric(m1, "web", "a", 3, 0, 10, 0),
            metric(m1, "web", "b", 2, 0, 10, 0));
    assertThat(store.metrics("web", m1, m1)).hasSize(2);
    assertThat(store.metrics("web", m1 + 1, m2 - 1)).isEmpty();
    assertThat(store.metrics(null, m1, m1))
        .containsExactlyInAnyOrder(
            metric(m1, "web", "a", 3, 0, 10, 0),
            metric(m1, "web", "b", 2, 0, 10, 0),
            metric(m1, "db", "a", 4, 0, 10, 0),
            metric(m1, "api", "c", 5, 0, 10, 0))
        .extracting(SpanMetric::operation)
        .containsExactly("a", "a", "b", "c");
    assertThat(store.metrics(null, m0, m2)).extracting(SpanMetric::minuteEpochMillis).isSorted();
    assertThat(store.metrics("nobody", m0, m2)).isEmpty();
  }

  @Test
  void linksAddUpPerPairOverTheWindow() {
    long m0 = T0_MILLIS;
    long m1 = m0 + MINUTE_MILLIS;
    long m2 = m0 + 2 * MINUTE_MILLIS;
    store.writeLinks(
        m0,
        List.of(new DependencyLink("web", "db", 10, 1), new DependencyLink("web", "api", 2, 0)));
    store.writeLinks(m1, List.of(new DependencyLink("web", "db", 5, 2)));
    store.writeLinks(m1, List.of(new DependencyLink("web", "db", 1, 0)));
    store.writeLinks(m2, List.of(new DependencyLink("api", "db", 7, 7)));

    assertThat(store.dependencies(m0, m1))
        .containsExactlyInAnyOrder(
            new DependencyLink("web", "db", 16, 3), new DependencyLink("web", "api", 2, 0));
    assertThat(store.dependencies(m1, m2))
        .containsExactlyInAnyOrder(
            new DependencyLink("web", "db", 6, 2), new DependencyLink("api", "db", 7, 7));
    assertThat(store.dependencies(m0 + 1, m1 - 1)).isEmpty();
  }

  // ---------------------------------------------------------------- retention

  @Test
  void deleteBeforeDropsWhatIsWellPastTheCutoffAndKeepsWhatIsAfter() {
    long cutoff = T0 + 30 * DAY;
    long cutoffMillis = cutoff / 1_000_000;
    Span old = span(traceId(300), 1, "web", "get", T0).build();
    Span oldChild = span(traceId(300), 2, "web", "db", T0 + MILLI).parentSpanId(1).build();
    Span atCutoff = span(traceId(301), 1, "web", "get", cutoff).build();
    Span recent = span(traceId(302), 1, "web", "get", cutoff + DAY).build();
    store.write(List.of(old, oldChild, atCutoff, recent));
    store.writeMetrics(
        List.of(
            metric(T0_MILLIS, "web", "get", 1, 0, 1, 0),
            metric(cutoffMillis, "web", "get", 2, 0, 1, 0)));
    store.writeLinks(T0_MILLIS, List.of(new DependencyLink("web", "db", 1, 0)));
    store.writeLinks(cutoffMillis, List.of(new DependencyLink("web", "api", 2, 0)));

    store.deleteBefore(cutoffMillis);

    assertThat(store.trace(traceId(300))).isEmpty();
    assertThat(store.trace(traceId(301))).containsExactly(atCutoff);
    assertThat(store.trace(traceId(302))).containsExactly(recent);
    assertThat(store.findTraceIds(query("web").window(0, Long.MAX_VALUE).build()))
        .containsExactly(traceId(302), traceId(301));
    assertThat(store.metrics("web", 0, Long.MAX_VALUE))
        .containsExactly(metric(cutoffMillis, "web", "get", 2, 0, 1, 0));
    assertThat(store.dependencies(0, Long.MAX_VALUE))
        .containsExactly(new DependencyLink("web", "api", 2, 0));

    // New spans in the dropped time still go in, and old ones can come back.
    store.write(List.of(old));
    assertThat(store.trace(traceId(300))).containsExactly(old);

    store.deleteBefore(Long.MAX_VALUE);
    for (int n = 300; n <= 302; n++) {
      assertThat(store.trace(traceId(n))).isEmpty();
    }
    assertThat(store.findTraceIds(query(null).window(0, Long.MAX_VALUE).build())).isEmpty();
    assertThat(store.metrics(null, 0, Long.MAX_VALUE)).isEmpty();
  }

  // ---------------------------------------------------------------- size and lifecycle

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aTraceOfOneHundredThousandSpansStreamsBack() {
    int count = 100_000;
    TraceId huge = traceId(400);
    Span root = span(huge, 1, "loader", "load everything", T0).build();
    List<Span> batch = new ArrayList<>(List.of(root));
    for (int i = 2; i <= count; i++) {
      batch.add(
          span(huge, i, "loader", "item", T0 + i * 1_000L)
              .parentSpanId(1)
              .addAttribute("item", (long) i)
              .build());
      if (batch.size() == 1000) {
        store.write(batch);
        batch = new ArrayList<>();
      }
    }
    store.write(batch);
    store.write(List.of(span(traceId(401), 1, "loader", "item", T0).build()));

    Set<Long> seen = new HashSet<>();
    AtomicLong wrong = new AtomicLong();
    store.readTrace(
        huge,
        span -> {
          seen.add(span.spanId());
          Attribute item = span.attribute("item");
          if (span.spanId() != 1 && (item == null || !item.value().equals(span.spanId()))) {
            wrong.incrementAndGet();
          }
        });

    assertThat(seen).hasSize(count);
    assertThat(wrong).hasValue(0);
    assertThat(store.findTraceIds(query("loader").operation("load everything").build()))
        .containsExactly(huge);
  }

  @Test
  void everyMethodThrowsAfterClose() {
    store.write(List.of(span(traceId(500), 1, "web", "get", T0).build()));
    store.close();
    closed = true;

    List<ThrowingCallable> calls =
        List.of(
            () -> store.write(List.of(span(traceId(501), 1, "web", "get", T0).build())),
            () -> store.writeMetrics(List.of(metric(T0_MILLIS, "web", "get", 1, 0, 1, 0))),
            () -> store.writeLinks(T0_MILLIS, List.of(new DependencyLink("a", "b", 1, 0))),
            () -> store.sync(),
            () -> store.readTrace(traceId(500), span -> {}),
            () -> store.trace(traceId(500)),
            () -> store.findTraceIds(query("web").build()),
            () -> store.services(),
            () -> store.operations("web"),
            () -> store.remoteServices("web"),
            () -> store.dependencies(0, Long.MAX_VALUE),
            () -> store.metrics(null, 0, Long.MAX_VALUE),
            () -> store.tagKeys(),
            () -> store.tagValues("k"),
            () -> store.deleteBefore(T0_MILLIS));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(StoreException.class);
    }
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void readersRunWhileOneWriterWrites() throws InterruptedException {
    int batches = 150;
    int tracesPerBatch = 20;
    Map<TraceId, List<Span>> written = new HashMap<>();
    List<List<Span>> plan = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<Span> batch = new ArrayList<>();
      for (int t = 0; t < tracesPerBatch; t++) {
        TraceId id = traceId(10_000 + b * tracesPerBatch + t);
        long start = T0 + (b * tracesPerBatch + t) * MILLI;
        List<Span> trace = new ArrayList<>();
        for (int s = 1; s <= 4; s++) {
          trace.add(
              span(id, s, "svc" + (s % 2), "op" + s, start + s)
                  .parentSpanId(s == 1 ? 0 : 1)
                  .addAttribute("batch", (long) b)
                  .build());
        }
        written.put(id, trace);
        batch.addAll(trace);
      }
      plan.add(batch);
    }

    CopyOnWriteArrayList<Integer> done = new CopyOnWriteArrayList<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int b = 0; b < batches; b++) {
                  store.write(plan.get(b));
                  done.add(b);
                  if (b % 50 == 49) {
                    store.sync();
                  }
                }
              } catch (Throwable t) {
                failures.add(t);
              } finally {
                writing.set(false);
              }
            });
    List<Thread> readers = new ArrayList<>();
    AtomicLong checks = new AtomicLong();
    for (int r = 0; r < 3; r++) {
      int seed = r;
      readers.add(
          new Thread(
              () -> {
                java.util.Random random = new java.util.Random(seed);
                try {
                  while (writing.get() || checks.get() < 30) {
                    if (done.isEmpty()) {
                      Thread.onSpinWait();
                      continue;
                    }
                    int b = done.get(random.nextInt(done.size()));
                    TraceId id = traceId(10_000 + b * tracesPerBatch + random.nextInt(20));
                    List<Span> read = store.trace(id);
                    if (!new HashSet<>(read).equals(new HashSet<>(written.get(id)))
                        || read.size() != 4) {
                      throw new AssertionError("trace " + id + " read as " + read);
                    }
                    List<TraceId> found =
                        store.findTraceIds(
                            query("svc1").tag("batch", Long.toString(b)).limit(100).build());
                    if (found.size() != tracesPerBatch) {
                      throw new AssertionError("batch " + b + " search found " + found.size());
                    }
                    store.services();
                    store.operations("svc0");
                    checks.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              }));
    }
    writer.start();
    readers.forEach(Thread::start);
    writer.join();
    for (Thread reader : readers) {
      reader.join();
    }

    assertThat(failures).isEmpty();
    assertThat(checks.get()).isGreaterThanOrEqualTo(30);
    assertThat(store.services()).containsExactly("svc0", "svc1");
    assertThat(store.findTraceIds(query("svc0").limit(10_000).build()))
        .hasSize(batches * tracesPerBatch);
  }

  // ---------------------------------------------------------------- helpers

  /** A search for a service (null for any) over a wide window, limit 100. */
  protected static QueryBuilder query(String service) {
    return new QueryBuilder(service);
  }

  /** Builds {@link TraceQuery TraceQueries} for the tests, with wide defaults. */
  protected static final class QueryBuilder {
    private final String service;
    private String operation;
    private final Map<String, String> tags = new java.util.LinkedHashMap<>();
    private long from = T0 - 365 * DAY;
    private long to = T0 + 365 * DAY;
    private long minDuration;
    private long maxDuration = Long.MAX_VALUE;
    private int limit = 100;

    private QueryBuilder(String service) {
      this.service = service;
    }

    public QueryBuilder operation(String operation) {
      this.operation = operation;
      return this;
    }

    public QueryBuilder tag(String key, String value) {
      tags.put(key, value);
      return this;
    }

    public QueryBuilder window(long fromNanos, long toNanos) {
      this.from = fromNanos;
      this.to = toNanos;
      return this;
    }

    public QueryBuilder minDuration(long nanos) {
      this.minDuration = nanos;
      return this;
    }

    public QueryBuilder maxDuration(long nanos) {
      this.maxDuration = nanos;
      return this;
    }

    public QueryBuilder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public TraceQuery build() {
      return new TraceQuery(service, operation, tags, from, to, minDuration, maxDuration, limit);
    }
  }
}
