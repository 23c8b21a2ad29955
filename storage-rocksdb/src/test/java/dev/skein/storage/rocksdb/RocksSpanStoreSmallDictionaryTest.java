package dev.skein.storage.rocksdb;

import dev.skein.storage.SpanStore;
import dev.skein.storage.testkit.PersistentSpanStoreContract;
import java.nio.file.Path;

/**
 * The contract with a dictionary that fills up early in most tests: the store then holds spans with
 * and without shape side by side, and searches must find both.
 */
class RocksSpanStoreSmallDictionaryTest extends PersistentSpanStoreContract {
  @Override
  protected SpanStore openStore(Path dir) {
    return RocksSpanStore.open(dir, RocksSpanStoreTest.testOptions().dictionaryEntries(60));
  }
}
