package dev.skein.server.log;

import java.io.IOException;

/**
 * An append refused because the log holds as much unwritten and uncommitted data as it may. It is
 * temporary: the client should retry later (HTTP 429 or 503 with Retry-After, gRPC
 * RESOURCE_EXHAUSTED).
 */
public final class LogFullException extends IOException {
  private static final long serialVersionUID = 1L;

  LogFullException(String message) {
    super(message, null);
  }
}
