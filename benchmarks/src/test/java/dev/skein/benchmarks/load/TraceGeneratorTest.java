package dev.skein.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.benchmarks.load.TraceGenerator.GeneratedSpan;
import dev.skein.benchmarks.load.TraceGenerator.Kind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

  private static final long START = 1_700_000_000_000_000_000L;

  @Test
  void everyTraceIsOneTreeOfTenSpansUnderAServerRoot() {
    TraceGenerator generator = new TraceGenerator(5);
    for (int t = 0; t < 500; t++) {
      List<GeneratedSpan> trace = generator.trace(START);
      assertThat(trace).hasSize(TraceGenerator.SPANS_PER_TRACE);
      GeneratedSpan root = trace.get(0);
      assertThat(root.parentSpanId()).isNull();
      assertThat(root.kind()).isEqualTo(Kind.SERVER);
      assertThat(root.startNanos()).isEqualTo(START);

      Map<String, GeneratedSpan> byId = new HashMap<>();
      for (GeneratedSpan span : trace) {
        assertThat(span.traceId()).isEqualTo(root.traceId());
        assertThat(byId.put(Arrays.toString(span.spanId()), span)).isNull();
      }
      for (GeneratedSpan span : trace.subList(1, trace.size())) {
        GeneratedSpan parent = byId.get(Arrays.toString(span.parentSpanId()));
        assertThat(parent).as("parent of %s", span.name()).isNotNull();
        assertThat(span.startNanos()).isBetween(parent.startNanos(), parent.endNanos());
        assertThat(span.endNanos()).isLessThanOrEqualTo(parent.endNanos());
        if (span.kind() == Kind.SERVER) {
          // a server span is called by a client span of another service
          assertThat(parent.kind()).isEqualTo(Kind.CLIENT);
          assertThat(parent.remoteService()).isEqualTo(span.instance().service());
          assertThat(parent.instance().service()).isNotEqualTo(span.instance().service());
        }
      }
      Set<String> services = new HashSet<>();
      trace.forEach(s -> services.add(s.instance().service()));
      assertThat(services).hasSize(4);
    }
  }

  @Test
  void spansCarryFiveToElevenAttributesWithTheirKindsKeys() {
    TraceGenerator generator = new TraceGenerator(6);
    Set<Integer> counts = new HashSet<>();
    for (int t = 0; t < 300; t++) {
      for (GeneratedSpan span : generator.trace(START)) {
        int n = span.attributes().size();
        assertThat(n).isBetween(5, 11);
        counts.add(n);
        if (span.kind() == Kind.SERVER) {
          assertThat(span.attributes())
              .containsKeys(
                  "http.request.method", "http.route", "http.response.status_code", "url.path");
          assertThat(span.name()).isIn(TraceGenerator.routes(span.instance().service()));
        }
        if (span.attributes().containsKey("db.system")) {
          assertThat(span.attributes()).containsKey("db.statement");
        }
      }
    }
    assertThat(counts).contains(5, 11);
  }

  @Test
  void theWorkloadSpreadsOverTwentyServicesWithSomeErrorsAndALongTail() {
    TraceGenerator generator = new TraceGenerator(7);
    Set<String> services = new HashSet<>();
    Set<String> operations = new HashSet<>();
    int traces = 2000;
    int failed = 0;
    long[] rootDurations = new long[traces];
    for (int t = 0; t < traces; t++) {
      List<GeneratedSpan> trace = generator.trace(START);
      for (GeneratedSpan span : trace) {
        services.add(span.instance().service());
        if (span.kind() != Kind.CLIENT || span.attributes().containsKey("db.system")) {
          operations.add(span.instance().service() + " " + span.name());
        }
      }
      if (trace.stream().anyMatch(GeneratedSpan::error)) {
        failed++;
      }
      rootDurations[t] = trace.get(0).endNanos() - trace.get(0).startNanos();
    }
    assertThat(services).hasSize(20);
    assertThat(operations).hasSize(200);
    assertThat(failed).isBetween(traces / 100, traces / 10);
    Arrays.sort(rootDurations);
    long median = rootDurations[traces / 2];
    long p99 = rootDurations[traces * 99 / 100];
    assertThat(median).isBetween(20_000_000L, 80_000_000L);
    assertThat(p99).isGreaterThan(4 * median);
  }

  @Test
  void theSameSeedMakesTheSameTraces() {
    List<GeneratedSpan> a = new TraceGenerator(9).trace(START);
    List<GeneratedSpan> b = new TraceGenerator(9).trace(START);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).spanId()).isEqualTo(b.get(i).spanId());
      assertThat(a.get(i).attributes()).isEqualTo(b.get(i).attributes());
    }
  }
}
