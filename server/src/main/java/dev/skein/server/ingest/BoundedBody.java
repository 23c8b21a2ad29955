package dev.skein.server.ingest;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpObject;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Collects a request body into one array, refusing it as soon as it passes a limit. Armeria can
 * bound a body too, but then it answers the client itself; here the receiver answers, in its
 * protocol's words, and counts it.
 */
final class BoundedBody implements Subscriber<HttpObject> {
  /** The body, or null if it was larger than the limit. */
  final CompletableFuture<byte[]> body = new CompletableFuture<>();

  private final long limit;
  private byte[] buffer;
  private int size;
  private Subscription subscription;

  BoundedBody(long limit, long declaredLength) {
    this.limit = limit;
    this.buffer = new byte[(int) Math.min(declaredLength > 0 ? declaredLength : 8192, limit + 1)];
  }

  @Override
  public void onSubscribe(Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(HttpObject object) {
    if (!(object instanceof HttpData data) || body.isDone()) {
      return; // headers and trailers
    }
    int length = data.length();
    if ((long) size + length > limit) {
      body.complete(null);
      buffer = null;
      subscription.cancel();
      return;
    }
    if (size + length > buffer.length) {
      long grown = Math.max((long) buffer.length * 2, (long) size + length);
      buffer = Arrays.copyOf(buffer, (int) Math.min(grown, limit));
    }
    System.arraycopy(data.array(), 0, buffer, size, length);
    size += length;
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    if (!body.isDone()) {
      body.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
    }
  }
}
