package dev.skein.storage.rocksdb;

import dev.skein.storage.Attribute;
import dev.skein.storage.DependencyLink;
import dev.skein.storage.LatencyHistogram;
import dev.skein.storage.Operation;
import dev.skein.storage.Span;
import dev.skein.storage.SpanMetric;
import dev.skein.storage.SpanStore;
import dev.skein.storage.StoreException;
import dev.skein.storage.TraceId;
import dev.skein.storage.TraceQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded span store: RocksDB, with spans and their index in column families per time
 * partition (by span start), so retention drops whole partitions instead of deleting keys.
 *
 * <p>Spans of a trace written together are one value under {@code trace id | sequence}, each span
 * as its {@link Shape} (what its operation's spans share) and what varies; a bloom filter on the
 * trace id makes a partition that lacks the trace cost almost nothing. Search walks packed posting
 * lists (per service, and per service and varying attribute key) newest first, filtered by shape,
 * and checks each candidate trace against the whole query. The module's README has the layout.
 * Durability: writes go to RocksDB's write-ahead log without flushing it; {@link #sync()} flushes
 * and fsyncs it, so everything written before a sync survives a crash of the process or the
 * machine.
 *
 * <pre>{@code
 * try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Options.defaults())) {
 *   store.write(spans);
 *   store.sync();
 * }
 * }</pre>
 */
public final class RocksSpanStore implements SpanStore {
  /** Spans of one trace in one value at most; a huge trace becomes many values. */
  static final int MAX_CHUNK_SPANS = 256;

  /** Alike postings of one trace this close in time share one entry. */
  static final long FOLD_MS = 1_000;

  /** Entries in one stored posting block at most. */
  static final int BLOCK_ENTRIES = 4096;

  /** Values remembered per attribute key for autocompletion. */
  static final int MAX_TAG_VALUES = 1000;

  private static final int FORMAT_VERSION = 1;
  private static final String SPANS_PREFIX = "spans-";
  private static final String INDEX_PREFIX = "index-";

  private final Options options;
  private final long widthMillis;
  private final RocksDB db;
  private final ColumnFamilyHandle meta;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ColumnFamilyOptions spanFamily;
  private final ColumnFamilyOptions indexFamily;
  private final WriteOptions writeOptions;
  private final ReadOptions prefixRead;

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closed;

  final Dictionary dictionary;
  final Shapes shapes;
  final ConcurrentSkipListMap<Long, Partition> partitions = new ConcurrentSkipListMap<>();

  private final long generation;
  private volatile boolean unshapedWritten;
  private long sequence;
  private long pendingEntries;

  // What readers list; the writer keeps its own copies to check cheaply what is new.
  private final ConcurrentSkipListMap<String, ConcurrentSkipListSet<Operation>> operations =
      new ConcurrentSkipListMap<>();
  private final ConcurrentHashMap<String, ConcurrentSkipListSet<String>> remoteServices =
      new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<String, ConcurrentSkipListSet<String>> tagValues =
      new ConcurrentSkipListMap<>();
  final ConcurrentHashMap<Long, Long> listSizes = new ConcurrentHashMap<>();

  private final HashMap<String, HashMap<String, Integer>> knownOperationKinds = new HashMap<>();
  private final HashMap<String, HashSet<String>> knownRemoteServices = new HashMap<>();
  private final HashMap<String, KnownValues> knownTagValues = new HashMap<>();

  private static final Comparator<Operation> BY_NAME_THEN_KIND =
      Comparator.comparing(Operation::name).thenComparing(Operation::kind);

  /**
   * Opens (or creates) the store in {@code dir}.
   *
   * @throws StoreException if RocksDB cannot open it, or it was made with another partition width
   */
  public static RocksSpanStore open(Path dir, Options options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    RocksDB.loadLibrary();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create the store directory " + dir + ": " + e, e);
    }
    return new RocksSpanStore(dir, options);
  }

  private RocksSpanStore(Path dir, Options options) {
    this.options = options;
    this.widthMillis = options.partitionWidth().toMillis();
    this.dictionary = new Dictionary(options.dictionaryEntries());
    this.shapes = new Shapes(dictionary);
    RocksDB opened = null;
    try {
      Cache cache = track(new LRUCache(options.blockCacheBytes()));
      BloomFilter bloom = track(new BloomFilter(10));
      ColumnFamilyOptions metaFamily = track(metaFamilyOptions(cache));
      spanFamily = track(spanFamilyOptions(cache, bloom));
      indexFamily = track(indexFamilyOptions(cache));
      DBOptions dbOptions =
          track(
              new DBOptions()
                  .setCreateIfMissing(true)
                  .setCreateMissingColumnFamilies(true)
                  // Writes stay in the log's buffer until sync(): see the class comment.
                  .setManualWalFlush(true)
                  .setMaxBackgroundJobs(2)
                  .setBytesPerSync(1 << 20)
                  .setDbWriteBufferSize(options.memtableBytes())
                  .setMaxTotalWalSize(4 * options.memtableBytes())
                  .setKeepLogFileNum(4)
                  .setMaxLogFileSize(16 << 20));
      writeOptions = track(new WriteOptions());
      prefixRead = track(new ReadOptions().setPrefixSameAsStart(true));

      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaFamily));
      try (org.rocksdb.Options listing = new org.rocksdb.Options()) {
        for (byte[] name : RocksDB.listColumnFamilies(listing, dir.toString())) {
          String text = new String(name, StandardCharsets.UTF_8);
          if (text.startsWith(SPANS_PREFIX)) {
            descriptors.add(new ColumnFamilyDescriptor(name, spanFamily));
          } else if (text.startsWith(INDEX_PREFIX)) {
            descriptors.add(new ColumnFamilyDescriptor(name, indexFamily));
          }
        }
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      opened = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      db = opened;
      meta = handles.get(0);
      Map<Long, ColumnFamilyHandle[]> pairs = new TreeMap<>();
      for (int i = 1; i < handles.size(); i++) {
        String name = new String(descriptors.get(i).getName(), StandardCharsets.UTF_8);
        boolean spans = name.startsWith(SPANS_PREFIX);
        long start = Long.parseLong(name.substring((spans ? SPANS_PREFIX : INDEX_PREFIX).length()));
        pairs.computeIfAbsent(start, s -> new ColumnFamilyHandle[2])[spans ? 0 : 1] =
            handles.get(i);
      }
      checkFormat();
      generation = nextGeneration();
      loadMeta();
      for (Map.Entry<Long, ColumnFamilyHandle[]> pair : pairs.entrySet()) {
        ColumnFamilyHandle[] both = pair.getValue();
        // A crash between creating a partition's two families leaves one: make the other.
        if (both[0] == null) {
          both[0] = db.createColumnFamily(spanDescriptor(pair.getKey()));
        }
        if (both[1] == null) {
          both[1] = db.createColumnFamily(indexDescriptor(pair.getKey()));
        }
        Partition partition = new Partition(pair.getKey(), widthMillis, both[0], both[1]);
        recoverPartition(partition);
        partitions.put(pair.getKey(), partition);
      }
    } catch (RocksDBException | RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      closeResources();
      if (e instanceof StoreException s) {
        throw s;
      }
      throw new StoreException("cannot open the span store in " + dir + ": " + e.getMessage(), e);
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  private void closeResources() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception ignored) {
        // Closing native option objects does not fail in practice; nothing to do if it does.
      }
    }
    resources.clear();
  }

  private static ColumnFamilyOptions metaFamilyOptions(Cache cache) {
    return new ColumnFamilyOptions()
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache))
        .setWriteBufferSize(8 << 20)
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
  }

  private ColumnFamilyOptions spanFamilyOptions(Cache cache, BloomFilter bloom) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setBlockSize(options.blockBytes())
            .setFilterPolicy(bloom)
            // Filter on the trace id prefix: a partition that lacks the trace is skipped cheaply.
            .setWholeKeyFiltering(false)
            .setFormatVersion(6);
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .useFixedLengthPrefixExtractor(Keys.TRACE_PREFIX)
        .setMemtablePrefixBloomSizeRatio(0.05)
        .setWriteBufferSize(64 << 20)
        .setMaxWriteBufferNumber(4)
        .setTargetFileSizeBase(64 << 20)
        .setMaxBytesForLevelBase(256 << 20)
        .setLevelCompactionDynamicLevelBytes(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setBottommostCompressionOptions(bottommostCompression(options.zstdLevel()));
  }

  private ColumnFamilyOptions indexFamilyOptions(Cache cache) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setBlockSize(16 * 1024)
            .setFormatVersion(6);
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setWriteBufferSize(32 << 20)
        .setMaxWriteBufferNumber(4)
        .setTargetFileSizeBase(32 << 20)
        .setLevelCompactionDynamicLevelBytes(true)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setBottommostCompressionOptions(bottommostCompression(options.zstdLevel()));
  }

  private CompressionOptions bottommostCompression(int level) {
    // A dictionary, if asked for, is trained on each file's samples.
    return track(
        new CompressionOptions()
            .setEnabled(true)
            .setLevel(level)
            .setMaxDictBytes(options.zstdDictionaryBytes())
            .setZStdMaxTrainBytes(options.zstdDictionaryBytes() * 100));
  }

  private ColumnFamilyDescriptor spanDescriptor(long startMillis) {
    return new ColumnFamilyDescriptor(
        (SPANS_PREFIX + startMillis).getBytes(StandardCharsets.UTF_8), spanFamily);
  }

  private ColumnFamilyDescriptor indexDescriptor(long startMillis) {
    return new ColumnFamilyDescriptor(
        (INDEX_PREFIX + startMillis).getBytes(StandardCharsets.UTF_8), indexFamily);
  }

  // ---------------------------------------------------------------- opening

  private void checkFormat() throws RocksDBException {
    byte[] key = Keys.prefix(Keys.FORMAT);
    byte[] stored = db.get(meta, key);
    if (stored == null) {
      ByteWriter out = new ByteWriter(16);
      out.varint(FORMAT_VERSION);
      out.varint(widthMillis);
      try (WriteOptions synced = new WriteOptions().setSync(true)) {
        db.put(meta, synced, key, out.toByteArray());
      }
      return;
    }
    ByteReader in = new ByteReader(stored);
    long version = in.varint();
    long width = in.varint();
    if (version != FORMAT_VERSION) {
      throw new StoreException("the store was written in format " + version + ", not " + 1);
    }
    if (width != widthMillis) {
      throw new StoreException(
          "the store was made with partitions of "
              + Duration.ofMillis(width)
              + ", not "
              + Duration.ofMillis(widthMillis)
              + ": open it with the same partition width");
    }
  }

  /** Each opening numbers its writes anew above every earlier opening's. */
  private long nextGeneration() throws RocksDBException {
    byte[] key = Keys.prefix(Keys.GENERATION);
    byte[] stored = db.get(meta, key);
    long next = stored == null ? 1 : new ByteReader(stored).varint() + 1;
    ByteWriter out = new ByteWriter(10);
    out.varint(next);
    try (WriteOptions synced = new WriteOptions().setSync(true)) {
      db.put(meta, synced, key, out.toByteArray());
    }
    return next;
  }

  private long nextSequence() {
    return (generation << 40) | sequence++;
  }

  private void loadMeta() {
    forEach(
        meta,
        Keys.prefix(Keys.DICTIONARY),
        Keys.after(Keys.DICTIONARY),
        (key, value) -> {
          if (dictionary.load(Keys.getInt(key, 1), value) instanceof Shape shape) {
            shapes.load(shape);
          }
        });
    forEach(
        meta,
        Keys.prefix(Keys.OPERATION),
        Keys.after(Keys.OPERATION),
        (key, value) -> {
          ByteReader in = new ByteReader(key, 1, key.length - 1);
          String service = in.string();
          String name = in.string();
          int kind = in.u8();
          if (kind >= Span.Kind.values().length) {
            throw ByteReader.corrupt("has an operation of unknown kind " + kind);
          }
          rememberOperation(service, name, Span.Kind.values()[kind]);
        });
    forEach(
        meta,
        Keys.prefix(Keys.REMOTE_SERVICE),
        Keys.after(Keys.REMOTE_SERVICE),
        (key, value) -> {
          ByteReader in = new ByteReader(key, 1, key.length - 1);
          rememberRemoteService(in.string(), in.string());
        });
    forEach(
        meta,
        Keys.prefix(Keys.TAG_VALUE),
        Keys.after(Keys.TAG_VALUE),
        (key, value) -> {
          ByteReader in = new ByteReader(key, 1, key.length - 1);
          loadTagValue(in.string(), in.string());
        });
    byte[] sizes = get(meta, Keys.prefix(Keys.LIST_SIZES));
    if (sizes != null) {
      ByteReader in = new ByteReader(sizes);
      while (in.hasMore()) {
        listSizes.put(in.fixed64(), in.varint());
      }
    }
    unshapedWritten = get(meta, Keys.prefix(Keys.UNSHAPED)) != null;
    byte[] counts = get(meta, Keys.prefix(Keys.SHAPE_COUNTS));
    if (counts != null) {
      ByteReader in = new ByteReader(counts);
      while (in.hasMore()) {
        int id = in.intVarint();
        long count = in.varint();
        if (id < dictionary.size()) {
          dictionary.shapeAt(id).count = count;
        }
      }
    }
  }

  private void recoverPartition(Partition partition) {
    byte[] last = lastKey(partition.index, Keys.prefix(Keys.ORDINALS), Keys.after(Keys.ORDINALS));
    if (last != null) {
      byte[] ids = get(partition.index, last);
      partition.nextOrdinal = Keys.ordinalsFirst(last) + ids.length / 16;
    }
    List<PostingList> recovered = new ArrayList<>();
    forEach(
        partition.index,
        Keys.prefix(Keys.PENDING),
        Keys.after(Keys.PENDING),
        (key, value) -> recovered.addAll(readPendingRecord(value)));
    partition.addPending(recovered);
    for (PostingList list : recovered) {
      pendingEntries += list.size;
      listSizes.merge(list.key(), (long) list.size, Long::sum);
    }
  }

  // ---------------------------------------------------------------- writing spans

  @Override
  public void write(List<Span> spans) {
    Objects.requireNonNull(spans, "spans");
    lifecycle.readLock().lock();
    try {
      checkOpen();
      if (!spans.isEmpty()) {
        writeLocked(spans);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot write spans: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Postings and new ordinals one write makes in one partition. */
  private static final class PartitionWrite {
    final LongMap<PostingList> postings = new LongMap<>();
    final List<TraceId> newTraces = new ArrayList<>();
    int firstNewOrdinal = -1;

    PostingList list(int kind, int hash) {
      long key = PostingList.key(kind, hash);
      PostingList list = postings.get(key);
      if (list == null) {
        list = new PostingList(kind, hash, 8);
        postings.put(key, list);
      }
      return list;
    }
  }

  private record ChunkGroup(long partitionStart, TraceId traceId) {}

  private void writeLocked(List<Span> spans) throws RocksDBException {
    // Group by partition and trace; spans of a trace mostly come one after another.
    LinkedHashMap<ChunkGroup, List<Span>> groups = new LinkedHashMap<>();
    ChunkGroup previous = null;
    List<Span> previousGroup = null;
    for (Span span : spans) {
      long partitionStart = partitionStart(span.startEpochNanos());
      if (previous != null
          && previous.partitionStart() == partitionStart
          && previous.traceId().equals(span.traceId())) {
        previousGroup.add(span);
        continue;
      }
      previous = new ChunkGroup(partitionStart, span.traceId());
      previousGroup = groups.computeIfAbsent(previous, g -> new ArrayList<>());
      previousGroup.add(span);
    }

    Map<Partition, PartitionWrite> writes = new HashMap<>();
    List<Runnable> afterWrite = new ArrayList<>();
    boolean unshapedInBatch = false;
    ByteWriter out = new ByteWriter(4096);
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<ChunkGroup, List<Span>> entry : groups.entrySet()) {
        Partition partition = partition(entry.getKey().partitionStart());
        PartitionWrite write = writes.computeIfAbsent(partition, p -> new PartitionWrite());
        TraceId traceId = entry.getKey().traceId();
        int ordinal = partition.ordinalOf(traceId);
        if (ordinal < 0) {
          ordinal = partition.assignOrdinal(traceId);
          if (write.firstNewOrdinal < 0) {
            write.firstNewOrdinal = ordinal;
          }
          write.newTraces.add(traceId);
        }
        List<Span> chunk = lastCopies(entry.getValue());
        chunk.sort(Comparator.comparingLong(Span::startEpochNanos));
        Shape[] chunkShapes = new Shape[chunk.size()];
        for (int i = 0; i < chunkShapes.length; i++) {
          chunkShapes[i] = shapes.shapeOf(chunk.get(i));
          if (chunkShapes[i] == null && !unshapedWritten && !unshapedInBatch) {
            // Searches must then look at spans whose shape says nothing.
            batch.put(meta, Keys.prefix(Keys.UNSHAPED), new byte[0]);
            unshapedInBatch = true;
          }
        }
        for (int from = 0; from < chunk.size(); from += MAX_CHUNK_SPANS) {
          int to = Math.min(chunk.size(), from + MAX_CHUNK_SPANS);
          out.reset();
          ChunkCodec.encode(
              chunk.subList(from, to),
              Arrays.copyOfRange(chunkShapes, from, to),
              partition.startNanos(),
              dictionary,
              out);
          batch.put(partition.spans, Keys.chunk(traceId, nextSequence()), out.toByteArray());
        }
        for (int i = 0; i < chunkShapes.length; i++) {
          index(chunk.get(i), chunkShapes[i], ordinal, write, batch, afterWrite);
        }
      }
      for (Map.Entry<Partition, PartitionWrite> entry : writes.entrySet()) {
        Partition partition = entry.getKey();
        PartitionWrite write = entry.getValue();
        if (!write.newTraces.isEmpty()) {
          byte[] ids = new byte[write.newTraces.size() * 16];
          for (int i = 0; i < write.newTraces.size(); i++) {
            Keys.putLong(ids, i * 16, write.newTraces.get(i).high());
            Keys.putLong(ids, i * 16 + 8, write.newTraces.get(i).low());
          }
          batch.put(partition.index, Keys.ordinals(write.firstNewOrdinal), ids);
        }
        out.reset();
        writePendingRecord(out, write.postings.values());
        batch.put(partition.index, Keys.pending(nextSequence()), out.toByteArray());
      }
      for (int id : dictionary.drainAdded()) {
        batch.put(meta, dictionaryKey(id), dictionary.encode(id));
      }
      db.write(writeOptions, batch);
    }

    // Visible to searches only now that the spans and ordinals they point at are stored.
    for (Map.Entry<Partition, PartitionWrite> entry : writes.entrySet()) {
      List<PostingList> lists = entry.getValue().postings.values();
      entry.getKey().addPending(lists);
      for (PostingList list : lists) {
        pendingEntries += list.size;
        listSizes.merge(list.key(), (long) list.size, Long::sum);
      }
    }
    afterWrite.forEach(Runnable::run);
    if (unshapedInBatch) {
      unshapedWritten = true;
    }
    if (pendingEntries >= options.indexBufferEntries()) {
      packPostings();
    }
  }

  /** The spans with a span id given twice reduced to its last copy. */
  private static List<Span> lastCopies(List<Span> spans) {
    int count = spans.size();
    boolean twice = false;
    if (count <= 32) {
      for (int i = 1; i < count && !twice; i++) {
        long id = spans.get(i).spanId();
        for (int j = 0; j < i; j++) {
          if (spans.get(j).spanId() == id) {
            twice = true;
            break;
          }
        }
      }
    } else {
      LongSet ids = new LongSet();
      for (Span span : spans) {
        twice |= !ids.add(span.spanId());
      }
    }
    if (!twice) {
      return new ArrayList<>(spans);
    }
    LongSet kept = new LongSet();
    List<Span> last = new ArrayList<>(count);
    for (int i = count - 1; i >= 0; i--) {
      if (kept.add(spans.get(i).spanId())) {
        last.add(spans.get(i));
      }
    }
    return last;
  }

  /**
   * The postings of one span: its service's list, with its shape, and the list of each attribute
   * whose value the shape leaves open. A span without a shape gets a posting for every attribute.
   */
  private void index(
      Span span,
      Shape shape,
      int ordinal,
      PartitionWrite write,
      WriteBatch batch,
      List<Runnable> afterWrite)
      throws RocksDBException {
    String service = span.service();
    long time = Math.floorDiv(span.startEpochNanos(), 1_000_000L);
    int shapeRef = shape == null ? 0 : shape.id + 1;
    write
        .list(PostingList.KIND_SERVICE, Hashes.serviceList(service))
        .addFolding(
            time, ordinal, shapeRef << 8 | Hashes.durationBucket(span.durationNanos()), FOLD_MS);
    List<Attribute> attributes = span.attributes();
    if (shape != null) {
      shape.count++;
      if (!shape.noted) {
        shape.noted = true;
        noteOperation(service, span.name(), span.kind(), batch, afterWrite);
        for (Attribute constant : shape.constants) {
          if (constant != null) {
            noteTagValue(constant, batch, afterWrite);
            if (constant.key().equals(Span.PEER_SERVICE) && constant.value() instanceof String s) {
              noteRemoteService(service, s, batch, afterWrite);
            }
          }
        }
      }
      if (shape.variables == 0) {
        return;
      }
      for (int i = 0; i < attributes.size(); i++) {
        if (shape.constants[i] != null) {
          continue;
        }
        Attribute attribute = attributes.get(i);
        write
            .list(PostingList.KIND_TAG, Hashes.tagList(service, attribute.key()))
            .addFolding(time, ordinal, Hashes.valueFingerprint(attribute.value()), FOLD_MS);
        noteTagValue(attribute, batch, afterWrite);
        if (attribute.key().equals(Span.PEER_SERVICE) && attribute.value() instanceof String s) {
          noteRemoteService(service, s, batch, afterWrite);
        }
      }
      return;
    }
    for (Attribute attribute : attributes) {
      write
          .list(PostingList.KIND_TAG, Hashes.tagList(service, attribute.key()))
          .addFolding(time, ordinal, Hashes.valueFingerprint(attribute.value()), FOLD_MS);
      noteTagValue(attribute, batch, afterWrite);
    }
    for (Attribute attribute : span.resource()) {
      write
          .list(PostingList.KIND_TAG, Hashes.tagList(service, attribute.key()))
          .addFolding(time, ordinal, Hashes.valueFingerprint(attribute.value()), FOLD_MS);
    }
    noteOperation(service, span.name(), span.kind(), batch, afterWrite);
    String remote = span.remoteService();
    if (remote != null) {
      noteRemoteService(service, remote, batch, afterWrite);
    }
  }

  private void noteOperation(
      String service, String name, Span.Kind kind, WriteBatch batch, List<Runnable> afterWrite)
      throws RocksDBException {
    HashMap<String, Integer> names = knownOperationKinds.get(service);
    Integer kinds = names == null ? null : names.get(name);
    int bit = 1 << kind.ordinal();
    if (kinds != null && (kinds & bit) != 0) {
      return;
    }
    knownOperationKinds
        .computeIfAbsent(service, s -> new HashMap<>())
        .put(name, (kinds == null ? 0 : kinds) | bit);
    ByteWriter key = new ByteWriter(32);
    key.u8(Keys.OPERATION);
    key.string(service);
    key.string(name);
    key.u8(kind.ordinal());
    batch.put(meta, key.toByteArray(), new byte[0]);
    afterWrite.add(() -> rememberOperation(service, name, kind));
  }

  private void noteRemoteService(
      String service, String remote, WriteBatch batch, List<Runnable> afterWrite)
      throws RocksDBException {
    if (!knownRemoteServices.computeIfAbsent(service, s -> new HashSet<>()).add(remote)) {
      return;
    }
    ByteWriter key = new ByteWriter(32);
    key.u8(Keys.REMOTE_SERVICE);
    key.string(service);
    key.string(remote);
    batch.put(meta, key.toByteArray(), new byte[0]);
    afterWrite.add(() -> rememberRemoteService(service, remote));
  }

  /** Values of one key the writer has seen, to tell a new one cheaply. */
  private static final class KnownValues {
    final HashSet<String> texts = new HashSet<>();
    final LongSet numbers = new LongSet();
    int count;
  }

  private void noteTagValue(Attribute attribute, WriteBatch batch, List<Runnable> afterWrite)
      throws RocksDBException {
    String key = attribute.key();
    KnownValues known = knownTagValues.get(key);
    if (known == null) {
      known = new KnownValues();
      knownTagValues.put(key, known);
    }
    if (known.count >= MAX_TAG_VALUES) {
      return;
    }
    String text;
    if (attribute.value() instanceof Long number) {
      if (!known.numbers.add(number)) {
        return;
      }
      text = Long.toString(number);
    } else {
      text = attribute.valueAsString();
      if (!known.texts.add(text)) {
        return;
      }
    }
    known.count++;
    ByteWriter stored = new ByteWriter(32);
    stored.u8(Keys.TAG_VALUE);
    stored.string(key);
    stored.string(text);
    batch.put(meta, stored.toByteArray(), new byte[0]);
    afterWrite.add(() -> rememberTagValue(key, text));
  }

  private void rememberOperation(String service, String name, Span.Kind kind) {
    operations
        .computeIfAbsent(service, s -> new ConcurrentSkipListSet<>(BY_NAME_THEN_KIND))
        .add(new Operation(name, kind));
    knownOperationKinds
        .computeIfAbsent(service, s -> new HashMap<>())
        .merge(name, 1 << kind.ordinal(), (a, b) -> a | b);
  }

  private void rememberRemoteService(String service, String remote) {
    remoteServices.computeIfAbsent(service, s -> new ConcurrentSkipListSet<>()).add(remote);
    knownRemoteServices.computeIfAbsent(service, s -> new HashSet<>()).add(remote);
  }

  private void rememberTagValue(String key, String value) {
    tagValues.computeIfAbsent(key, k -> new ConcurrentSkipListSet<>()).add(value);
  }

  private void loadTagValue(String key, String value) {
    rememberTagValue(key, value);
    KnownValues known = knownTagValues.computeIfAbsent(key, k -> new KnownValues());
    if (known.texts.add(value)) {
      known.count++;
    }
  }

  private static byte[] dictionaryKey(int id) {
    byte[] key = new byte[5];
    key[0] = Keys.DICTIONARY;
    Keys.putInt(key, 1, id);
    return key;
  }

  long partitionStart(long startNanos) {
    return Math.floorDiv(Math.floorDiv(startNanos, 1_000_000L), widthMillis) * widthMillis;
  }

  private Partition partition(long start) throws RocksDBException {
    Partition partition = partitions.get(start);
    if (partition != null) {
      return partition;
    }
    ColumnFamilyHandle spans = db.createColumnFamily(spanDescriptor(start));
    ColumnFamilyHandle index = db.createColumnFamily(indexDescriptor(start));
    partition = new Partition(start, widthMillis, spans, index);
    partitions.put(start, partition);
    return partition;
  }

  private static void writePendingRecord(ByteWriter out, Iterable<PostingList> lists) {
    for (PostingList list : lists) {
      out.u8(list.kind);
      out.bigEndian32(list.hash);
      list.write(out, 0, list.size);
    }
  }

  private static List<PostingList> readPendingRecord(byte[] value) {
    List<PostingList> lists = new ArrayList<>();
    ByteReader in = new ByteReader(value);
    while (in.hasMore()) {
      int kind = in.u8();
      int hash = in.bigEndian32();
      lists.add(PostingList.read(in, kind, hash));
    }
    return lists;
  }

  /**
   * Packs the postings held in memory into blocks, newest first within each, and drops the log
   * records that kept them safe until now.
   */
  private void packPostings() throws RocksDBException {
    List<Partition> packed = new ArrayList<>();
    ByteWriter out = new ByteWriter(64 * 1024);
    try (WriteBatch batch = new WriteBatch()) {
      for (Partition partition : partitions.values()) {
        if (partition.pendingEntries() == 0) {
          continue;
        }
        for (PostingList pending : partition.pendingLists()) {
          PostingList list = pending.newestFirst();
          for (int from = 0; from < list.size; from += BLOCK_ENTRIES) {
            int to = Math.min(list.size, from + BLOCK_ENTRIES);
            long newest = list.times[from];
            long seq = nextSequence();
            out.reset();
            list.write(out, from, to);
            batch.put(
                partition.index, Keys.block(list.kind, list.hash, newest, seq), out.toByteArray());
            batch.put(
                partition.index,
                Keys.directory(list.kind, list.hash, newest, list.times[to - 1], seq),
                new byte[0]);
          }
        }
        batch.deleteRange(partition.index, Keys.prefix(Keys.PENDING), Keys.after(Keys.PENDING));
        packed.add(partition);
      }
      ByteWriter sizes = new ByteWriter(listSizes.size() * 12);
      listSizes.forEach(
          (key, size) -> {
            sizes.fixed64(key);
            sizes.varint(size);
          });
      batch.put(meta, Keys.prefix(Keys.LIST_SIZES), sizes.toByteArray());
      ByteWriter counts = new ByteWriter(1024);
      for (List<Shape> serviceShapes : shapes.all().values()) {
        for (Shape shape : serviceShapes) {
          counts.varint(shape.id);
          counts.varint(shape.count);
        }
      }
      batch.put(meta, Keys.prefix(Keys.SHAPE_COUNTS), counts.toByteArray());
      db.write(writeOptions, batch);
    }
    for (Partition partition : packed) {
      partition.clearPending();
    }
    pendingEntries = 0;
  }

  // ---------------------------------------------------------------- metrics and links

  @Override
  public void writeMetrics(List<SpanMetric> metrics) {
    Objects.requireNonNull(metrics, "metrics");
    lifecycle.readLock().lock();
    try {
      checkOpen();
      LinkedHashMap<ByteKey, SpanMetric> summed = new LinkedHashMap<>();
      for (SpanMetric metric : metrics) {
        summed.merge(new ByteKey(metricKey(metric)), metric, SpanMetric::plus);
      }
      try (WriteBatch batch = new WriteBatch()) {
        for (Map.Entry<ByteKey, SpanMetric> entry : summed.entrySet()) {
          byte[] key = entry.getKey().bytes();
          SpanMetric metric = entry.getValue();
          byte[] stored = db.get(meta, key);
          if (stored != null) {
            metric = readMetric(key, stored).plus(metric);
          }
          batch.put(meta, key, metricValue(metric));
        }
        db.write(writeOptions, batch);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot write metrics: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private record ByteKey(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }

  private static byte[] metricKey(SpanMetric metric) {
    ByteWriter key = new ByteWriter(48);
    key.u8(Keys.METRIC);
    key.bigEndian64(Keys.flip(metric.minuteEpochMillis()));
    key.string(metric.service());
    key.string(metric.operation());
    key.u8(metric.kind().ordinal());
    return key.toByteArray();
  }

  private static byte[] metricValue(SpanMetric metric) {
    ByteWriter value = new ByteWriter(64);
    value.varint(metric.count());
    value.varint(metric.errorCount());
    value.varint(metric.durationSumNanos());
    for (long bucket : metric.bucketCounts()) {
      value.varint(bucket);
    }
    return value.toByteArray();
  }

  private static SpanMetric readMetric(byte[] key, byte[] value) {
    ByteReader k = new ByteReader(key, 1, key.length - 1);
    long minute = Keys.flip(k.bigEndian64());
    String service = k.string();
    String operation = k.string();
    int kind = k.u8();
    if (kind >= Span.Kind.values().length) {
      throw ByteReader.corrupt("has a metric of unknown kind " + kind);
    }
    ByteReader v = new ByteReader(value);
    long count = v.varint();
    long errors = v.varint();
    long durationSum = v.varint();
    long[] buckets = new long[LatencyHistogram.BUCKETS];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = v.varint();
    }
    return new SpanMetric(
        minute, service, operation, Span.Kind.values()[kind], count, errors, durationSum, buckets);
  }

  @Override
  public void writeLinks(long minuteEpochMillis, List<DependencyLink> links) {
    Objects.requireNonNull(links, "links");
    lifecycle.readLock().lock();
    try {
      checkOpen();
      LinkedHashMap<ByteKey, long[]> summed = new LinkedHashMap<>();
      for (DependencyLink link : links) {
        ByteWriter key = new ByteWriter(48);
        key.u8(Keys.LINK);
        key.bigEndian64(Keys.flip(minuteEpochMillis));
        key.string(link.parent());
        key.string(link.child());
        long[] counts = summed.computeIfAbsent(new ByteKey(key.toByteArray()), k -> new long[2]);
        counts[0] += link.callCount();
        counts[1] += link.errorCount();
      }
      try (WriteBatch batch = new WriteBatch()) {
        for (Map.Entry<ByteKey, long[]> entry : summed.entrySet()) {
          byte[] key = entry.getKey().bytes();
          long[] counts = entry.getValue();
          byte[] stored = db.get(meta, key);
          if (stored != null) {
            ByteReader in = new ByteReader(stored);
            counts[0] += in.varint();
            counts[1] += in.varint();
          }
          ByteWriter value = new ByteWriter(20);
          value.varint(counts[0]);
          value.varint(counts[1]);
          batch.put(meta, key, value.toByteArray());
        }
        db.write(writeOptions, batch);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot write dependency links: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public List<DependencyLink> dependencies(long fromMillis, long toMillis) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      TreeMap<List<String>, long[]> summed =
          new TreeMap<>(
              Comparator.<List<String>, String>comparing(pair -> pair.get(0))
                  .thenComparing(pair -> pair.get(1)));
      forEach(
          meta,
          Keys.minuteKey(Keys.LINK, fromMillis),
          minuteEnd(Keys.LINK, toMillis),
          (key, value) -> {
            ByteReader k = new ByteReader(key, 9, key.length - 9);
            ByteReader v = new ByteReader(value);
            long[] counts =
                summed.computeIfAbsent(List.of(k.string(), k.string()), p -> new long[2]);
            counts[0] += v.varint();
            counts[1] += v.varint();
          });
      List<DependencyLink> links = new ArrayList<>();
      summed.forEach(
          (pair, counts) ->
              links.add(new DependencyLink(pair.get(0), pair.get(1), counts[0], counts[1])));
      return links;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public List<SpanMetric> metrics(String service, long fromMillis, long toMillis) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      List<SpanMetric> found = new ArrayList<>();
      forEach(
          meta,
          Keys.minuteKey(Keys.METRIC, fromMillis),
          minuteEnd(Keys.METRIC, toMillis),
          (key, value) -> {
            SpanMetric metric = readMetric(key, value);
            if (service == null || service.equals(metric.service())) {
              found.add(metric);
            }
          });
      found.sort(
          Comparator.comparingLong(SpanMetric::minuteEpochMillis)
              .thenComparing(SpanMetric::operation)
              .thenComparing(SpanMetric::service)
              .thenComparing(SpanMetric::kind));
      return found;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** The first key after every minute up to {@code toMillis}. */
  private static byte[] minuteEnd(byte tag, long toMillis) {
    return toMillis == Long.MAX_VALUE ? Keys.after(tag) : Keys.minuteKey(tag, toMillis + 1);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public void sync() {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw new StoreException("cannot sync the span store: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void readTrace(TraceId traceId, Consumer<Span> consumer) {
    Objects.requireNonNull(traceId, "traceId");
    lifecycle.readLock().lock();
    try {
      checkOpen();
      readTraceLocked(traceId, consumer);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private record ChunkRef(Partition partition, byte[] key, long seq) {}

  /**
   * Streams a trace chunk by chunk. A span written more than once is in more than one chunk: the
   * newest chunk's copy wins, so chunks are read newest first and span ids already passed on are
   * skipped.
   */
  void readTraceLocked(TraceId traceId, Consumer<Span> consumer) {
    byte[] prefix = Keys.trace(traceId);
    List<ChunkRef> chunks = new ArrayList<>();
    byte[] onlyValue = null;
    for (Partition partition : partitions.values()) {
      try (RocksIterator iterator = db.newIterator(partition.spans, prefixRead)) {
        for (iterator.seek(prefix); iterator.isValid(); iterator.next()) {
          byte[] key = iterator.key();
          if (!Keys.startsWith(key, prefix)) {
            break;
          }
          chunks.add(new ChunkRef(partition, key, Keys.chunkSeq(key)));
          onlyValue = chunks.size() == 1 ? iterator.value() : null;
        }
      }
    }
    if (chunks.isEmpty()) {
      return;
    }
    if (chunks.size() == 1) {
      ChunkCodec.decode(
          onlyValue, traceId, chunks.get(0).partition().startNanos(), dictionary, consumer);
      return;
    }
    chunks.sort(Comparator.comparingLong(ChunkRef::seq).reversed());
    LongSet passed = new LongSet();
    for (ChunkRef chunk : chunks) {
      byte[] value = get(chunk.partition().spans, chunk.key());
      if (value == null) {
        continue;
      }
      ChunkCodec.decode(
          value,
          traceId,
          chunk.partition().startNanos(),
          dictionary,
          span -> {
            if (passed.add(span.spanId())) {
              consumer.accept(span);
            }
          });
    }
  }

  @Override
  public List<TraceId> findTraceIds(TraceQuery query) {
    Objects.requireNonNull(query, "query");
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return new TraceSearch(this, db, query).run();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Services known to the store, for searches that name none. */
  List<String> servicesLocked() {
    return new ArrayList<>(operations.keySet());
  }

  boolean unshapedWritten() {
    return unshapedWritten;
  }

  int tagValueCount(String key) {
    ConcurrentSkipListSet<String> found = tagValues.get(key);
    return found == null ? 0 : Math.min(found.size(), MAX_TAG_VALUES);
  }

  @Override
  public List<String> services() {
    return read(() -> List.copyOf(operations.keySet()));
  }

  @Override
  public List<Operation> operations(String service) {
    return read(
        () -> {
          ConcurrentSkipListSet<Operation> found = operations.get(service);
          return found == null ? List.of() : List.copyOf(found);
        });
  }

  @Override
  public List<String> remoteServices(String service) {
    return read(
        () -> {
          ConcurrentSkipListSet<String> found = remoteServices.get(service);
          return found == null ? List.of() : List.copyOf(found);
        });
  }

  @Override
  public List<String> tagKeys() {
    return read(() -> List.copyOf(tagValues.keySet()));
  }

  @Override
  public List<String> tagValues(String key) {
    return read(
        () -> {
          ConcurrentSkipListSet<String> found = tagValues.get(key);
          return found == null ? List.of() : List.copyOf(found);
        });
  }

  private <T> T read(java.util.function.Supplier<T> reader) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return reader.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- retention and lifecycle

  @Override
  public void deleteBefore(long epochMillis) {
    lifecycle.writeLock().lock();
    try {
      checkOpen();
      for (Partition partition : List.copyOf(partitions.values())) {
        if (partition.endMillis > epochMillis) {
          break;
        }
        pendingEntries -= partition.pendingEntries();
        partitions.remove(partition.startMillis);
        db.dropColumnFamilies(List.of(partition.spans, partition.index));
        partition.spans.close();
        partition.index.close();
      }
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(meta, Keys.prefix(Keys.METRIC), Keys.minuteKey(Keys.METRIC, epochMillis));
        batch.deleteRange(meta, Keys.prefix(Keys.LINK), Keys.minuteKey(Keys.LINK, epochMillis));
        db.write(writeOptions, batch);
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot delete old spans: " + e.getMessage(), e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /**
   * Writes memtables out and compacts every family to its last level, where ZSTD applies: for
   * measuring what the data takes on disk, and for tests.
   */
  public void compact() {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      packPostings();
      List<ColumnFamilyHandle> families = new ArrayList<>(List.of(meta));
      for (Partition partition : partitions.values()) {
        families.add(partition.spans);
        families.add(partition.index);
      }
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true);
          CompactRangeOptions compact =
              new CompactRangeOptions()
                  .setBottommostLevelCompaction(
                      CompactRangeOptions.BottommostLevelCompaction.kForceOptimized)) {
        db.flush(flush, families);
        for (ColumnFamilyHandle family : families) {
          db.compactRange(family, null, null, compact);
        }
      }
    } catch (RocksDBException e) {
      throw new StoreException("cannot compact the span store: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** A RocksDB property summed over every family, e.g. {@code rocksdb.total-sst-files-size}. */
  public long longProperty(String name) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      long sum = db.getLongProperty(meta, name);
      for (Partition partition : partitions.values()) {
        sum += db.getLongProperty(partition.spans, name);
        sum += db.getLongProperty(partition.index, name);
      }
      return sum;
    } catch (RocksDBException e) {
      throw new StoreException("cannot read property " + name + ": " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Bytes in SST files of span families, index families and the rest, for measurements. */
  long[] fileBytesByKind() {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      String name = "rocksdb.total-sst-files-size";
      long[] sizes = {0, 0, db.getLongProperty(meta, name)};
      for (Partition partition : partitions.values()) {
        sizes[0] += db.getLongProperty(partition.spans, name);
        sizes[1] += db.getLongProperty(partition.index, name);
      }
      return sizes;
    } catch (RocksDBException e) {
      throw new StoreException("cannot read file sizes: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        packPostings();
        db.flushWal(true);
      } catch (RocksDBException e) {
        throw new StoreException("cannot close the span store cleanly: " + e.getMessage(), e);
      } finally {
        for (Partition partition : partitions.values()) {
          partition.spans.close();
          partition.index.close();
        }
        partitions.clear();
        meta.close();
        db.close();
        closeResources();
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreException("the span store is closed");
    }
  }

  // ---------------------------------------------------------------- small helpers

  private byte[] get(ColumnFamilyHandle family, byte[] key) {
    try {
      return db.get(family, key);
    } catch (RocksDBException e) {
      throw new StoreException("cannot read the span store: " + e.getMessage(), e);
    }
  }

  /** Every key in [{@code from}, {@code to}) in order. */
  void forEach(
      ColumnFamilyHandle family, byte[] from, byte[] to, BiConsumer<byte[], byte[]> visitor) {
    try (Slice upper = new Slice(to);
        ReadOptions bounded = new ReadOptions().setIterateUpperBound(upper);
        RocksIterator iterator = db.newIterator(family, bounded)) {
      for (iterator.seek(from); iterator.isValid(); iterator.next()) {
        visitor.accept(iterator.key(), iterator.value());
      }
    }
  }

  private byte[] lastKey(ColumnFamilyHandle family, byte[] from, byte[] to) {
    try (Slice lower = new Slice(from);
        Slice upper = new Slice(to);
        ReadOptions bounded =
            new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
        RocksIterator iterator = db.newIterator(family, bounded)) {
      iterator.seekToLast();
      return iterator.isValid() ? iterator.key() : null;
    }
  }

  /**
   * Tuning of the store. Every setting has a default fit for one machine; the partition width
   * cannot change once a store holds data.
   */
  public static final class Options {
    private final Duration partitionWidth;
    private final long blockCacheBytes;
    private final long memtableBytes;
    private final int indexBufferEntries;
    private final int dictionaryEntries;
    private final long blockBytes;
    private final int zstdLevel;
    private final int zstdDictionaryBytes;

    private Options(
        Duration partitionWidth,
        long blockCacheBytes,
        long memtableBytes,
        int indexBufferEntries,
        int dictionaryEntries,
        long blockBytes,
        int zstdLevel,
        int zstdDictionaryBytes) {
      this.partitionWidth = partitionWidth;
      this.blockCacheBytes = blockCacheBytes;
      this.memtableBytes = memtableBytes;
      this.indexBufferEntries = indexBufferEntries;
      this.dictionaryEntries = dictionaryEntries;
      this.blockBytes = blockBytes;
      this.zstdLevel = zstdLevel;
      this.zstdDictionaryBytes = zstdDictionaryBytes;
    }

    /**
     * One-day partitions, a 256 MiB block cache, 256 MiB of memtables, a million postings held
     * before they are packed, 500,000 dictionary entries, 32 KiB blocks, ZSTD level 3 at the last
     * level without a trained dictionary (with spans stored as shapes it saves nothing measurable
     * and slows compaction).
     */
    public static Options defaults() {
      return new Options(
          Duration.ofDays(1), 256L << 20, 256L << 20, 1_000_000, 500_000, 32 << 10, 3, 0);
    }

    /**
     * The time range of one partition: retention drops data a partition at a time, and a trace
     * lookup probes every partition. Between one minute and 366 days, in whole milliseconds.
     */
    public Options partitionWidth(Duration width) {
      Objects.requireNonNull(width, "width");
      if (width.compareTo(Duration.ofMinutes(1)) < 0
          || width.compareTo(Duration.ofDays(366)) > 0
          || width.toNanos() % 1_000_000 != 0) {
        throw new IllegalArgumentException(
            "partition width must be whole milliseconds from 1 minute to 366 days, got " + width);
      }
      return new Options(
          width,
          blockCacheBytes,
          memtableBytes,
          indexBufferEntries,
          dictionaryEntries,
          blockBytes,
          zstdLevel,
          zstdDictionaryBytes);
    }

    /** Memory for uncompressed blocks read from disk, shared by every family. */
    public Options blockCacheBytes(long bytes) {
      return new Options(
          partitionWidth,
          positive(bytes, "block cache"),
          memtableBytes,
          indexBufferEntries,
          dictionaryEntries,
          blockBytes,
          zstdLevel,
          zstdDictionaryBytes);
    }

    /** Memory for writes not yet flushed to files, over every family. */
    public Options memtableBytes(long bytes) {
      return new Options(
          partitionWidth,
          blockCacheBytes,
          positive(bytes, "memtable size"),
          indexBufferEntries,
          dictionaryEntries,
          blockBytes,
          zstdLevel,
          zstdDictionaryBytes);
    }

    /**
     * Postings held in memory (about 16 bytes each) before they are packed into blocks; more makes
     * fewer, larger blocks.
     */
    public Options indexBufferEntries(int entries) {
      return new Options(
          partitionWidth,
          blockCacheBytes,
          memtableBytes,
          (int) positive(entries, "index buffer"),
          dictionaryEntries,
          blockBytes,
          zstdLevel,
          zstdDictionaryBytes);
    }

    /**
     * Strings, resources and span shapes numbered at most (up to 16 million); past this they are
     * stored in full.
     */
    public Options dictionaryEntries(int entries) {
      if (entries > 16_000_000) {
        throw new IllegalArgumentException(
            "the dictionary holds at most 16,000,000 entries, got " + entries);
      }
      return new Options(
          partitionWidth,
          blockCacheBytes,
          memtableBytes,
          indexBufferEntries,
          (int) positive(entries, "dictionary"),
          blockBytes,
          zstdLevel,
          zstdDictionaryBytes);
    }

    /** Size of a span data block before compression: larger compresses better, reads more. */
    public Options blockBytes(long bytes) {
      return new Options(
          partitionWidth,
          blockCacheBytes,
          memtableBytes,
          indexBufferEntries,
          dictionaryEntries,
          positive(bytes, "block size"),
          zstdLevel,
          zstdDictionaryBytes);
    }

    /** ZSTD level at the last level (1 to 19). */
    public Options zstdLevel(int level) {
      if (level < 1 || level > 19) {
        throw new IllegalArgumentException("ZSTD level must be 1 to 19, got " + level);
      }
      return new Options(
          partitionWidth,
          blockCacheBytes,
          memtableBytes,
          indexBufferEntries,
          dictionaryEntries,
          blockBytes,
          level,
          zstdDictionaryBytes);
    }

    /** Size of the ZSTD dictionary trained per last-level file; 0 for none. */
    public Options zstdDictionaryBytes(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("dictionary size must not be negative, got " + bytes);
      }
      return new Options(
          partitionWidth,
          blockCacheBytes,
          memtableBytes,
          indexBufferEntries,
          dictionaryEntries,
          blockBytes,
          zstdLevel,
          bytes);
    }

    public Duration partitionWidth() {
      return partitionWidth;
    }

    public long blockCacheBytes() {
      return blockCacheBytes;
    }

    public long memtableBytes() {
      return memtableBytes;
    }

    public int indexBufferEntries() {
      return indexBufferEntries;
    }

    public int dictionaryEntries() {
      return dictionaryEntries;
    }

    public long blockBytes() {
      return blockBytes;
    }

    public int zstdLevel() {
      return zstdLevel;
    }

    public int zstdDictionaryBytes() {
      return zstdDictionaryBytes;
    }

    private static long positive(long value, String what) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be positive, got " + value);
      }
      return value;
    }
  }
}
