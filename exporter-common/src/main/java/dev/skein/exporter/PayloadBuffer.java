package dev.skein.exporter;

import java.util.function.Consumer;

/**
 * The buffer an exporter encodes each batch into before handing the bytes to {@link Delivery}:
 * reused batch after batch, but let go once a huge batch has grown it past 1 MiB, so one outlier
 * does not pin its memory for the life of the application.
 */
public final class PayloadBuffer {

  private static final int INITIAL_BYTES = 64 * 1024;
  private static final int MAX_RETAINED_BYTES = 1 << 20;

  private WireBuffer buffer = new WireBuffer(INITIAL_BYTES); // guarded by this

  /**
   * Runs {@code encoder} on the emptied buffer and returns a copy of what it wrote. Synchronized:
   * processors export one batch at a time, but a user may share one exporter between processors.
   */
  public synchronized byte[] encode(Consumer<WireBuffer> encoder) {
    try {
      buffer.reset();
      encoder.accept(buffer);
      return buffer.toByteArray();
    } finally {
      if (buffer.size() > MAX_RETAINED_BYTES) {
        buffer = new WireBuffer(INITIAL_BYTES);
      }
    }
  }
}
