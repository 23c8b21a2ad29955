package dev.skein.storage;

/** A store could not do what was asked (an I/O failure, corrupt data, a closed store). */
public class StoreException extends RuntimeException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
