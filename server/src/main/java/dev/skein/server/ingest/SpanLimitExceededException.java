package dev.skein.server.ingest;

/** A request holds more spans than a decoder was allowed to take; decoding stopped there. */
public final class SpanLimitExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  SpanLimitExceededException(int limit) {
    super("request holds more than " + limit + " spans", null, false, false);
    this.limit = limit;
  }

  /** The most spans a request may hold. */
  public int limit() {
    return limit;
  }
}
