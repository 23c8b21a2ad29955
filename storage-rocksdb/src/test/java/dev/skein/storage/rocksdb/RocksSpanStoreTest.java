package dev.skein.storage.rocksdb;

import dev.skein.storage.SpanStore;
import dev.skein.storage.testkit.PersistentSpanStoreContract;
import java.nio.file.Path;

/**
 * The store passes the contract. Postings are packed into blocks after every few hundred, so
 * searches walk blocks and unpacked postings together.
 */
class RocksSpanStoreTest extends PersistentSpanStoreContract {
  @Override
  protected SpanStore openStore(Path dir) {
    return RocksSpanStore.open(dir, testOptions());
  }

  static RocksSpanStore.Options testOptions() {
    return RocksSpanStore.Options.defaults()
        .indexBufferEntries(500)
        .blockCacheBytes(8 << 20)
        .memtableBytes(16 << 20);
  }
}
