package dev.skein.server.ingest;

import dev.skein.storage.Span;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the receivers hand decoded spans, one call per client request. The receivers acknowledge a
 * request to its client only after the returned future completed successfully.
 */
public interface SpanSink {

  /**
   * Takes the spans of one request. The future completes once they are durable; it fails with
   * {@link dev.skein.server.log.LogFullException} when the server is overloaded (the client is told
   * to retry later) or with any other exception when they could not be kept (the client is told the
   * service is unavailable). The receivers never block on it, and they hop off the completing
   * thread before answering, so it may complete on any thread.
   *
   * @param spans at least one span, never changed after the call
   */
  CompletableFuture<Void> accept(List<Span> spans);
}
