package dev.skein.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trace ids that were sent, kept as a uniform sample of bounded size (reservoir sampling), for the
 * trace-by-id queries afterwards.
 */
final class TraceIdSample {
  private final int capacity;
  private final List<String> ids = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(7);
  private long seen;

  TraceIdSample(int capacity) {
    this.capacity = capacity;
  }

  synchronized void add(String traceIdHex) {
    seen++;
    if (ids.size() < capacity) {
      ids.add(traceIdHex);
    } else {
      long slot = random.nextLong(seen);
      if (slot < capacity) {
        ids.set((int) slot, traceIdHex);
      }
    }
  }

  synchronized List<String> ids() {
    return List.copyOf(ids);
  }
}
