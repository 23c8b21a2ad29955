package dev.skein.server.query;

/**
 * The client closed the connection or stopped reading: the response cannot go on. Unchecked so it
 * can leave a store's span consumer; not a store failure.
 */
final class ClientGoneException extends RuntimeException {
  ClientGoneException(String message) {
    super(message, null, false, false);
  }
}
