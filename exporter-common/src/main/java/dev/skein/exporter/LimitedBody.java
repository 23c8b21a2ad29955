package dev.skein.exporter;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body reader that keeps the first {@code limit} bytes and then hangs up, so a huge or
 * endless response costs a bounded amount of memory and time.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

  private final int limit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private Flow.Subscription subscription;

  private LimitedBody(int limit) {
    this.limit = limit;
  }

  static HttpResponse.BodySubscriber<byte[]> subscriber(int limit) {
    return new LimitedBody(limit);
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      int take = Math.min(limit - kept.size(), buffer.remaining());
      for (int i = 0; i < take; i++) {
        kept.write(buffer.get());
      }
    }
    if (kept.size() >= limit) {
      subscription.cancel(); // closes the connection instead of reading on
      result.complete(kept.toByteArray());
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(kept.toByteArray());
  }
}
