package dev.skein.storage.rocksdb;

import dev.skein.storage.SpanStore;
import dev.skein.storage.testkit.PersistentSpanStoreContract;
import java.nio.file.Path;

/**
 * The contract with default options but small memory: postings stay in memory and in their log
 * records (they are packed only at close), so searches walk unpacked postings and reopening
 * recovers them.
 */
class RocksSpanStoreDefaultsTest extends PersistentSpanStoreContract {
  @Override
  protected SpanStore openStore(Path dir) {
    return RocksSpanStore.open(
        dir, RocksSpanStore.Options.defaults().blockCacheBytes(8 << 20).memtableBytes(16 << 20));
  }
}
