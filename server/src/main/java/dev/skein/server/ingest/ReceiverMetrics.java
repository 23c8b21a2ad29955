package dev.skein.server.ingest;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one receiver, for the server's {@code /metrics}. Every request is counted once in
 * {@link #requests()}; its spans are counted in {@link #spansReceived()} once it was decoded, and
 * then each of them in exactly one of {@link #spansRejected()}, {@link #spansAccepted()}, {@link
 * #spansRefused()} or {@link #spansFailed()} (the last three only once the sink answered).
 */
public final class ReceiverMetrics {
  private final String receiver;
  final LongAdder requests = new LongAdder();
  final LongAdder spansReceived = new LongAdder();
  final LongAdder spansAccepted = new LongAdder();
  final LongAdder spansRejected = new LongAdder();
  final LongAdder spansRefused = new LongAdder();
  final LongAdder spansFailed = new LongAdder();
  final LongAdder requestsMalformed = new LongAdder();
  final LongAdder requestsTooLarge = new LongAdder();
  final LongAdder requestsUnsupported = new LongAdder();

  ReceiverMetrics(String receiver) {
    this.receiver = receiver;
  }

  /** {@code otlp_grpc}, {@code otlp_http} or {@code zipkin}. */
  public String receiver() {
    return receiver;
  }

  /** Requests that reached the receiver. */
  public long requests() {
    return requests.sum();
  }

  /** Spans in requests that decoded, valid or not. */
  public long spansReceived() {
    return spansReceived.sum();
  }

  /** Spans made durable and acknowledged to the client. */
  public long spansAccepted() {
    return spansAccepted.sum();
  }

  /** Invalid spans left out of otherwise good requests (a zero id, an end before the start). */
  public long spansRejected() {
    return spansRejected.sum();
  }

  /** Valid spans refused because the server was overloaded (HTTP 429, gRPC RESOURCE_EXHAUSTED). */
  public long spansRefused() {
    return spansRefused.sum();
  }

  /** Valid spans the sink failed to keep for another reason (HTTP 503, gRPC UNAVAILABLE). */
  public long spansFailed() {
    return spansFailed.sum();
  }

  /** Requests that were not well-formed (HTTP 400, gRPC INVALID_ARGUMENT). */
  public long requestsMalformed() {
    return requestsMalformed.sum();
  }

  /** Requests over a size or span limit (HTTP 413, gRPC RESOURCE_EXHAUSTED). */
  public long requestsTooLarge() {
    return requestsTooLarge.sum();
  }

  /** Requests with a wrong method, content type or content encoding (HTTP 405, 415). */
  public long requestsUnsupported() {
    return requestsUnsupported.sum();
  }

  @Override
  public String toString() {
    return receiver
        + "{requests="
        + requests()
        + ", received="
        + spansReceived()
        + ", accepted="
        + spansAccepted()
        + ", rejected="
        + spansRejected()
        + ", refused="
        + spansRefused()
        + ", failed="
        + spansFailed()
        + ", malformed="
        + requestsMalformed()
        + ", tooLarge="
        + requestsTooLarge()
        + ", unsupported="
        + requestsUnsupported()
        + "}";
  }
}
