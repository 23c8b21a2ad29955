package dev.skein.server.pipeline;

import static dev.skein.server.pipeline.PipelineTest.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skein.storage.DependencyLink;
import dev.skein.storage.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyLinkerTest {
  final DependencyLinker linker = new DependencyLinker(1 << 10, 100, 1_000);

  List<DependencyLink> links() {
    return linker.drain().values().stream().flatMap(List::stream).toList();
  }

  @Test
  void aChildOfAnotherServiceIsOneCallWhicheverArrivesFirst() {
    linker.add(List.of(span(1, 1, 0, "web", "GET /", 5), span(1, 2, 1, "api", "get", 3)), 0);
    linker.add(List.of(span(2, 5, 4, "api", "get", 3)), 0);
    linker.add(List.of(span(2, 4, 0, "web", "GET /", 5)), 10);
    assertThat(links()).containsExactly(new DependencyLink("web", "api", 2, 0));
    assertThat(linker.waiting()).isZero();
  }

  @Test
  void callsWithinOneServiceAreNotLinks() {
    linker.add(List.of(span(1, 1, 0, "web", "a", 5), span(1, 2, 1, "web", "b", 3)), 0);
    assertThat(links()).isEmpty();
  }

  @Test
  void errorsOfTheCalleeAreCounted() {
    Span failed =
        span(1, 2, 1, "db", "query", 3).toBuilder().status(Span.Status.ERROR, "x").build();
    linker.add(List.of(span(1, 1, 0, "api", "get", 5), failed), 0);
    assertThat(links()).containsExactly(new DependencyLink("api", "db", 1, 1));
  }

  @Test
  void aChildWhoseParentNeverComesIsGivenUpAfterTheWait() {
    linker.add(List.of(span(1, 2, 1, "api", "get", 3)), 0);
    linker.add(List.of(), 2_000);
    linker.add(List.of(span(1, 1, 0, "web", "GET /", 5)), 2_001);
    assertThat(links()).isEmpty();
    assertThat(linker.unlinked()).isEqualTo(1);
  }

  @Test
  void theWaitingQueueIsBounded() {
    for (int i = 0; i < 150; i++) {
      linker.add(List.of(span(100 + i, 2, 1, "api", "get", 3)), 0);
    }
    assertThat(linker.waiting()).isEqualTo(100);
    assertThat(linker.unlinked()).isEqualTo(50);
  }
}
