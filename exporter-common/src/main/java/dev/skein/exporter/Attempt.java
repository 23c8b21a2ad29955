package dev.skein.exporter;

import java.time.Duration;

/** How one attempt to send a request to a backend ended. */
public sealed interface Attempt {

  /** The backend took the request; {@code body} is its response, perhaps empty. */
  record Accepted(byte[] body) implements Attempt {}

  /**
   * The request may succeed later: the backend was unreachable, overloaded or briefly failing.
   *
   * @param retryAfter how long the backend asked us to wait, or null when it did not say
   */
  record Retryable(String reason, Duration retryAfter) implements Attempt {}

  /** The backend refused the request in a way that sending it again will not change. */
  record Failed(String reason) implements Attempt {}
}
