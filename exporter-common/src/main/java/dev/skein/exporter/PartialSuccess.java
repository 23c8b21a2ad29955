package dev.skein.exporter;

/**
 * What a backend said about a request it took but did not wholly keep, as OTLP's {@code
 * partial_success} does: how many spans it rejected and why. A message with no rejected spans is a
 * warning.
 */
public record PartialSuccess(long rejectedSpans, String errorMessage) {

  /** Everything was kept. */
  public static final PartialSuccess NONE = new PartialSuccess(0, "");

  public PartialSuccess {
    errorMessage = errorMessage == null ? "" : errorMessage;
  }

  /** Reads the body of an accepted response. */
  @FunctionalInterface
  public interface Reader {
    /**
     * @return what was rejected, {@link #NONE} when the body says nothing of it
     * @throws IllegalArgumentException when the body cannot be read
     */
    PartialSuccess read(byte[] body);
  }
}
