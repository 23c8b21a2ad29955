package dev.skein.storage.testkit;

import static dev.skein.storage.testkit.Fixtures.MILLI;
import static dev.skein.storage.testkit.Fixtures.SECOND;
import static dev.skein.storage.testkit.Fixtures.T0;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random traces, the order they are written in (shuffled, with replays and rewrites), and random
 * queries whose answer is computed from {@link TraceQuery#matches}: the definition a store's search
 * must agree with. Start times are unique, so the newest-first order is never a tie.
 */
final class RandomTraces {
  private static final String[] METHODS = {"GET", "POST", "DELETE"};
  private static final long[] STATUS = {200, 404, 500};
  private static final String[] DB = {"postgresql", "redis"};

  private final Random random;
  private final Map<TraceId, Map<Long, Span>> stored = new LinkedHashMap<>();
  private final List<Span> writes = new ArrayList<>();
  private final Set<Long> starts = new HashSet<>();

  private final long spread;

  /** {@code traceCount} traces starting within {@code spreadNanos} after {@code T0}. */
  RandomTraces(long seed, int traceCount, long spreadNanos) {
    random = new Random(seed);
    spread = spreadNanos;
    List<Span> all = new ArrayList<>();
    for (int t = 0; t < traceCount; t++) {
      TraceId id = Fixtures.traceId(seed * 1_000_000 + t);
      long traceStart = T0 + (long) (random.nextDouble() * spread);
      int size = 1 + random.nextInt(8);
      for (int s = 1; s <= size; s++) {
        all.add(randomSpan(id, s, traceStart));
      }
    }
    Collections.shuffle(all, random);
    for (Span span : all) {
      writes.add(span);
      keep(span);
      int dice = random.nextInt(20);
      if (dice == 0) {
        // A replay of something written before, as it now stands.
        Span earlier = writes.get(random.nextInt(writes.size()));
        writes.add(stored.get(earlier.traceId()).get(earlier.spanId()));
      } else if (dice == 1) {
        // A rewrite of this span with other tags and duration.
        Span rewritten =
            span.toBuilder()
                .clearAttributes()
                .addAttribute("http.method", METHODS[random.nextInt(METHODS.length)])
                .durationNanos(random.nextInt(2000) * MILLI)
                .build();
        writes.add(rewritten);
        keep(rewritten);
      }
    }
  }

  private void keep(Span span) {
    stored.computeIfAbsent(span.traceId(), id -> new HashMap<>()).put(span.spanId(), span);
  }

  private Span randomSpan(TraceId id, int s, long traceStart) {
    int service = random.nextInt(6);
    long start = traceStart + random.nextInt(3000) * MILLI + random.nextInt(1000);
    while (!starts.add(start)) {
      start++;
    }
    Span.Builder span =
        Fixtures.span(id, s, "svc" + service, "op" + random.nextInt(4), start)
            .parentSpanId(s == 1 ? 0 : 1)
            .kind(random.nextBoolean() ? Span.Kind.SERVER : Span.Kind.CLIENT)
            .durationNanos(random.nextInt(2000) * MILLI + random.nextInt(1000))
            .addResourceAttribute(Attribute.of("host.name", "h" + service + random.nextInt(2)));
    if (random.nextInt(3) > 0) {
      span.addAttribute("http.method", METHODS[random.nextInt(METHODS.length)]);
      span.addAttribute("http.status_code", STATUS[random.nextInt(STATUS.length)]);
    }
    if (random.nextInt(3) == 0) {
      span.addAttribute("db.system", DB[random.nextInt(DB.length)]);
    }
    if (random.nextBoolean()) {
      span.addAttribute("user.id", "u" + random.nextInt(40));
    }
    if (random.nextInt(10) == 0) {
      span.addAttribute("error", true);
    }
    return span.build();
  }

  List<Span> writes() {
    return writes;
  }

  Set<TraceId> traceIds() {
    return stored.keySet();
  }

  List<Span> spansOf(TraceId id) {
    return new ArrayList<>(stored.get(id).values());
  }

  List<TraceQuery> queries(int count) {
    List<TraceQuery> queries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String service = random.nextInt(5) > 0 ? "svc" + random.nextInt(7) : null;
      String operation = random.nextInt(3) == 0 ? "op" + random.nextInt(4) : null;
      Map<String, String> tags = new LinkedHashMap<>();
      for (int t = random.nextInt(3); t > 0; t--) {
        switch (random.nextInt(7)) {
          case 0 -> tags.put("http.method", METHODS[random.nextInt(METHODS.length)]);
          case 1 -> tags.put("http.status_code", Long.toString(STATUS[random.nextInt(3)]));
          case 2 -> tags.put("db.system", DB[random.nextInt(DB.length)]);
          case 3 -> tags.put("user.id", "u" + random.nextInt(45));
          case 4 -> tags.put("host.name", "h" + random.nextInt(6) + random.nextInt(2));
          case 5 -> tags.put("error", null);
          default -> tags.put("db.system", null);
        }
      }
      long from = T0 - SECOND;
      long to = T0 + spread + 4 * SECOND;
      if (random.nextBoolean()) {
        from = T0 + (long) (random.nextDouble() * spread);
        to = from + (long) (random.nextDouble() * spread / 3);
      }
      long minDuration = random.nextInt(4) == 0 ? random.nextInt(2000) * MILLI : 0;
      long maxDuration =
          random.nextInt(6) == 0 ? minDuration + random.nextInt(2000) * MILLI : Long.MAX_VALUE;
      int limit = 1 + random.nextInt(random.nextBoolean() ? 5 : 40);
      queries.add(
          new TraceQuery(service, operation, tags, from, to, minDuration, maxDuration, limit));
    }
    return queries;
  }

  /** The answer by definition: each trace's newest matching span, newest first. */
  List<TraceId> expected(TraceQuery query) {
    Map<TraceId, Long> newest = new HashMap<>();
    for (Map.Entry<TraceId, Map<Long, Span>> trace : stored.entrySet()) {
      for (Span span : trace.getValue().values()) {
        if (query.matches(span)) {
          newest.merge(trace.getKey(), span.startEpochNanos(), Math::max);
        }
      }
    }
    return newest.entrySet().stream()
        .sorted(Map.Entry.<TraceId, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(query.limit())
        .map(Map.Entry::getKey)
        .toList();
  }
}
