package dev.skein.storage.rocksdb;

import dev.skein.storage.SpanStore;
import dev.skein.storage.testkit.PersistentSpanStoreContract;
import java.nio.file.Path;

/**
 * The contract again with a dictionary that is full at once: every span is stored in full, without
 * shape, and searches rely on the posting of every attribute.
 */
class RocksSpanStoreWithoutShapesTest extends PersistentSpanStoreContract {
  @Override
  protected SpanStore openStore(Path dir) {
    return RocksSpanStore.open(dir, RocksSpanStoreTest.testOptions().dictionaryEntries(1));
  }
}
