package dev.skein.storage.testkit;

import static dev.skein.storage.testkit.Fixtures.DAY;
import static dev.skein.storage.testkit.Fixtures.MILLI;
import static dev.skein.storage.testkit.Fixtures.SECOND;
import static dev.skein.storage.testkit.Fixtures.T0;
import static dev.skein.storage.testkit.Fixtures.T0_MILLIS;
import static dev.skein.storage.testkit.Fixtures.everyFieldSpan;
import static dev.skein.storage.testkit.Fixtures.metric;
import static dev.skein.storage.testkit.Fixtures.span;
import static dev.skein.storage.testkit.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.storage.DependencyLink;
import dev.skein.storage.Operation;
import dev.skein.storage.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link SpanStoreContract} plus what a store that keeps its data on disk owes: after a sync,
 * close and reopen on the same directory, everything written is there, writes go on, and deletions
 * stay deleted.
 */
public abstract class PersistentSpanStoreContract extends SpanStoreContract {

  @Override
  void midwayThroughWrites() {
    reopen();
  }

  @Test
  void whatWasSyncedIsThereAfterReopening() {
    Span rich = everyFieldSpan(traceId(600), 42);
    Span other =
        span(traceId(601), 1, "db", "select", T0 + SECOND)
            .kind(Span.Kind.CLIENT)
            .addAttribute(Span.PEER_SERVICE, "postgres")
            .addAttribute("db.system", "postgresql")
            .build();
    store.write(List.of(rich, other));
    store.writeMetrics(List.of(metric(T0_MILLIS, "db", "select", 3, 1, 30, 2)));
    store.writeLinks(T0_MILLIS, List.of(new DependencyLink("web", "db", 3, 1)));

    reopen();

    assertThat(store.trace(traceId(600))).containsExactly(rich);
    assertThat(store.trace(traceId(601))).containsExactly(other);
    assertThat(store.findTraceIds(query("db").tag("db.system", "postgresql").build()))
        .containsExactly(traceId(601));
    assertThat(store.findTraceIds(query(rich.service()).operation(rich.name()).build()))
        .containsExactly(traceId(600));
    assertThat(store.services()).contains("db", rich.service()).isSorted();
    assertThat(store.operations("db")).containsExactly(new Operation("select", Span.Kind.CLIENT));
    assertThat(store.remoteServices("db")).containsExactly("postgres");
    assertThat(store.tagKeys()).contains("db.system");
    assertThat(store.tagValues("db.system")).containsExactly("postgresql");
    assertThat(store.metrics("db", 0, Long.MAX_VALUE))
        .containsExactly(metric(T0_MILLIS, "db", "select", 3, 1, 30, 2));
    assertThat(store.dependencies(0, Long.MAX_VALUE))
        .containsExactly(new DependencyLink("web", "db", 3, 1));
  }

  @Test
  void writesGoOnAfterReopening() {
    Span root = span(traceId(700), 1, "web", "get", T0).build();
    store.write(List.of(root));
    store.writeMetrics(List.of(metric(T0_MILLIS, "web", "get", 1, 0, 10, 0)));
    reopen();

    Span child = span(traceId(700), 2, "web", "db", T0 + MILLI).parentSpanId(1).build();
    Span next = span(traceId(701), 1, "web", "get", T0 + SECOND).build();
    store.write(List.of(root, child, next));
    store.writeMetrics(List.of(metric(T0_MILLIS, "web", "get", 2, 1, 5, 0)));
    reopen();

    assertThat(store.trace(traceId(700))).containsExactlyInAnyOrder(root, child);
    assertThat(store.findTraceIds(query("web").build()))
        .containsExactly(traceId(701), traceId(700));
    assertThat(store.findTraceIds(query("web").operation("db").build()))
        .containsExactly(traceId(700));
    assertThat(store.metrics("web", 0, Long.MAX_VALUE))
        .containsExactly(
            metric(T0_MILLIS, "web", "get", 1, 0, 10, 0)
                .plus(metric(T0_MILLIS, "web", "get", 2, 1, 5, 0)));
  }

  @Test
  void deletionsStayDeletedAfterReopening() {
    long cutoff = T0 + 30 * DAY;
    store.write(
        List.of(
            span(traceId(800), 1, "web", "get", T0).build(),
            span(traceId(801), 1, "web", "get", cutoff + SECOND).build()));
    store.deleteBefore(cutoff / 1_000_000);

    reopen();

    assertThat(store.trace(traceId(800))).isEmpty();
    assertThat(store.findTraceIds(query("web").window(0, Long.MAX_VALUE).build()))
        .containsExactly(traceId(801));
  }
}
