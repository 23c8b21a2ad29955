package dev.skein.storage.rocksdb;

import dev.skein.storage.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The entries of some posting lists of one partition, newest first, within a time range. Blocks are
 * read lazily, newest first, found through the lists' directories: a block is read only when its
 * newest entry could come next and its oldest is not past the range, so a search that stops early
 * reads only the blocks near the end of its window.
 */
final class PostingWalk implements AutoCloseable {
  private final long oldestMs;
  private final long newestMs;
  private final PriorityQueue<Cursor> cursors =
      new PriorityQueue<>((a, b) -> Long.compare(b.list.times[b.at], a.list.times[a.at]));
  private final PriorityQueue<Blocks> blocks =
      new PriorityQueue<>((a, b) -> Long.compare(b.newest, a.newest));
  private final List<Blocks> opened = new ArrayList<>();

  long time;
  int ordinal;
  int extra;
  int kind;

  /**
   * @param lists the kind and hash of each list, as {@link PostingList#key}
   * @param oldestMs entries before this end the walk
   * @param newestMs entries after this are skipped
   */
  PostingWalk(RocksDB db, Partition partition, List<Long> lists, long oldestMs, long newestMs) {
    this.oldestMs = oldestMs;
    this.newestMs = newestMs;
    for (long key : lists) {
      int listKind = (int) (key >>> 32);
      int hash = (int) key;
      PostingList pending = partition.pendingNewestFirst(key);
      if (pending != null) {
        cursors.add(new Cursor(pending));
      }
      Blocks source = new Blocks(db, partition, listKind, hash, oldestMs, newestMs);
      opened.add(source);
      if (source.valid && source.newest >= oldestMs) {
        blocks.add(source);
      }
    }
  }

  /** Moves to the next entry; false when none is left in the range. */
  boolean next() {
    while (true) {
      Cursor top = cursors.peek();
      Blocks source = blocks.peek();
      if (source != null && (top == null || source.newest >= top.list.times[top.at])) {
        blocks.poll();
        PostingList block = source.readAndMoveOn();
        if (block.size > 0) {
          cursors.add(new Cursor(block));
        }
        if (source.valid && source.newest >= oldestMs) {
          blocks.add(source);
        }
        continue;
      }
      if (top == null) {
        return false;
      }
      cursors.poll();
      time = top.list.times[top.at];
      ordinal = top.list.ordinals[top.at];
      extra = top.list.extras[top.at];
      kind = top.list.kind;
      if (++top.at < top.list.size) {
        cursors.add(top);
      }
      if (time < oldestMs) {
        return false;
      }
      if (time <= newestMs) {
        return true;
      }
    }
  }

  @Override
  public void close() {
    for (Blocks source : opened) {
      source.close();
    }
  }

  static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
  }

  private static final class Cursor {
    final PostingList list;
    int at;

    Cursor(PostingList list) {
      this.list = list;
    }
  }

  /** One list's blocks in the index, newest first, skipping those wholly after the range. */
  private static final class Blocks {
    private final RocksDB db;
    private final Partition partition;
    private final int kind;
    private final int hash;
    private final long oldestMs;
    private final long newestMs;
    private final Slice lower;
    private final Slice upper;
    private final ReadOptions options;
    private final RocksIterator directory;
    boolean valid;
    long newest;
    private long seq;

    Blocks(RocksDB db, Partition partition, int kind, int hash, long oldestMs, long newestMs) {
      this.db = db;
      this.partition = partition;
      this.kind = kind;
      this.hash = hash;
      this.oldestMs = oldestMs;
      this.newestMs = newestMs;
      lower = new Slice(Keys.directoryStart(kind, hash));
      upper = new Slice(Keys.directoryEnd(kind, hash));
      options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
      directory = db.newIterator(partition.index, options);
      directory.seekToLast();
      settle();
    }

    /** Moves to the next block that can hold entries in range, newest first. */
    private void settle() {
      for (; directory.isValid(); directory.prev()) {
        byte[] key = directory.key();
        newest = Keys.directoryNewestMs(key);
        if (newest < oldestMs) {
          break;
        }
        if (Keys.directoryOldestMs(key) <= newestMs) {
          seq = Keys.directorySeq(key);
          valid = true;
          return;
        }
      }
      valid = false;
    }

    PostingList readAndMoveOn() {
      byte[] value;
      try {
        value = db.get(partition.index, Keys.block(kind, hash, newest, seq));
      } catch (RocksDBException e) {
        throw new StoreException("cannot read a posting block: " + e.getMessage(), e);
      }
      if (value == null) {
        throw new StoreException("stored data is corrupt: a posting block is missing");
      }
      directory.prev();
      settle();
      return PostingList.read(new ByteReader(value), kind, hash);
    }

    void close() {
      directory.close();
      options.close();
      lower.close();
      upper.close();
    }
  }
}
