package dev.skein.storage.testkit;

import dev.skein.storage.MemorySpanStore;
import dev.skein.storage.SpanStore;
import java.nio.file.Path;

/** The in-memory store passes the contract. */
class MemorySpanStoreTest extends SpanStoreContract {
  @Override
  protected SpanStore openStore(Path dir) {
    return new MemorySpanStore();
  }
}
