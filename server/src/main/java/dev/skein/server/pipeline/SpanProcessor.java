package dev.skein.server.pipeline;

import dev.skein.storage.Span;
import java.util.List;

/**
 * A stage between the ingest log and the store: it sees every batch in log order on the pipeline's
 * one thread and returns the spans to keep (the same list, a filtered one, or an empty one). The
 * tail sampler is one.
 */
public interface SpanProcessor {
  List<Span> process(List<Span> spans);
}
