package dev.skein.storage.rocksdb;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import dev.skein.storage.StoreException;
import dev.skein.storage.TraceId;
import java.util.ArrayList;
import java.util.List;

/**
 * Whatever bytes the store reads back (a disk can corrupt anything), its decoders of chunks,
 * posting blocks, shapes and dictionary entries either succeed or throw {@link StoreException};
 * nothing else escapes. Chunks that decode encode again to the same spans. Seeds: {@code
 * src/test/resources/dev/skein/storage/rocksdb/StoredDataFuzzTestInputs}.
 */
class StoredDataFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void anyStoredBytes(FuzzedDataProvider data) {
    int decoder = data.consumeInt(0, 3);
    byte[] bytes = data.consumeRemainingAsBytes();
    Dictionary dictionary = sampleDictionary();
    try {
      switch (decoder) {
        case 0 -> checkChunk(bytes, dictionary);
        case 1 -> PostingList.read(new ByteReader(bytes), PostingList.KIND_SERVICE, 7);
        case 2 -> PostingList.read(new ByteReader(bytes), PostingList.KIND_TAG, 7);
        default -> dictionary.load(dictionary.size(), bytes);
      }
    } catch (StoreException expected) {
      // Corrupt data, reported as such.
    }
  }

  private static void checkChunk(byte[] bytes, Dictionary dictionary) {
    TraceId traceId = new TraceId(1, 2);
    List<Span> spans = new ArrayList<>();
    ChunkCodec.decode(bytes, traceId, 1_000_000_000L, dictionary, spans::add);
    ByteWriter out = new ByteWriter(bytes.length);
    ChunkCodec.encode(spans, new Shape[spans.size()], 1_000_000_000L, dictionary, out);
    List<Span> again = new ArrayList<>();
    ChunkCodec.decode(out.toByteArray(), traceId, 1_000_000_000L, dictionary, again::add);
    if (!again.equals(spans)) {
      throw new AssertionError("chunk re-encodes differently: " + spans + " / " + again);
    }
  }

  /** A dictionary with a few strings, a resource and a shape, as chunks refer to them. */
  static Dictionary sampleDictionary() {
    Dictionary dictionary = new Dictionary(100);
    dictionary.string("checkout");
    dictionary.string("GET /cart");
    dictionary.value("http.method", "GET");
    dictionary.resource(List.of(Attribute.of("host.name", "web-1")));
    dictionary.add(
        new Shape(
            dictionary.size(),
            "checkout",
            "GET /cart",
            Span.Kind.SERVER,
            Span.Status.UNSET,
            1,
            "scope",
            "1.0",
            List.of(Attribute.of("host.name", "web-1")),
            new String[] {"http.method", "user.id", "ratio", "ok", "list", "code"},
            new Attribute[] {Attribute.of("http.method", "GET"), null, null, null, null, null},
            new byte[] {
              0,
              Shape.VARIABLE_STRING,
              Shape.VARIABLE_DOUBLE,
              Shape.VARIABLE_BOOLEAN,
              Shape.VARIABLE_LIST,
              Shape.VARIABLE_LONG
            }));
    return dictionary;
  }
}
