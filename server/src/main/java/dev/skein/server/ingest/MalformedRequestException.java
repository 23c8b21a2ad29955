package dev.skein.server.ingest;

/**
 * The request body is not a well-formed request of its format at all (truncated protobuf, invalid
 * JSON, a field of the wrong type, bad compression). The message names the problem and where it is.
 * Spans that are merely invalid (a zero id, an end before the start) do not throw: they are counted
 * in {@link DecodedSpans#rejected()}.
 */
public final class MalformedRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedRequestException(String message) {
    super(message, null, false, false);
  }
}
