package dev.skein.storage.rocksdb;

import dev.skein.storage.Attribute;
import dev.skein.storage.StoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Numbers for what recurs: span {@link Shape shapes} and, for spans stored in full, service and
 * operation names, attribute keys, scope names, resource attribute sets, and string values of
 * attributes that take few values. A span then refers to them with a varint of one to three bytes.
 * Entries are never removed, so numbers stay valid in every partition; the dictionary stops growing
 * at its size limit, and what does not fit is written out in full.
 *
 * <p>One writer adds entries; readers look entries up by number from any thread.
 */
final class Dictionary {
  static final int TYPE_STRING = 0;
  static final int TYPE_RESOURCE = 1;
  static final int TYPE_SHAPE = 2;

  /** Values of one attribute key worth numbering; past this the key is taken for an id-like one. */
  static final int VALUES_PER_KEY = 1000;

  static final int MAX_VALUE_LENGTH = 256;

  private static final int PAGE_BITS = 12;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;

  private final int maxEntries;
  private final HashMap<String, Integer> strings = new HashMap<>();
  private final HashMap<List<Attribute>, Integer> resources = new HashMap<>();
  private final HashMap<String, Integer> valuesPerKey = new HashMap<>();
  private final List<Integer> added = new ArrayList<>();

  private volatile Object[][] pages = new Object[16][];
  private volatile int size;

  Dictionary(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  int size() {
    return size;
  }

  /** The number of a name-like string, or -1 if the dictionary is full. */
  int string(String value) {
    Integer id = strings.get(value);
    if (id != null) {
      return id;
    }
    if (size >= maxEntries) {
      return -1;
    }
    int newId = add(value);
    strings.put(value, newId);
    return newId;
  }

  /**
   * The number of an attribute's string value, or -1 if it is long, its key already has many
   * values, or the dictionary is full.
   */
  int value(String key, String value) {
    Integer id = strings.get(value);
    if (id != null) {
      return id;
    }
    if (size >= maxEntries || value.length() > MAX_VALUE_LENGTH) {
      return -1;
    }
    int seen = valuesPerKey.getOrDefault(key, 0);
    if (seen >= VALUES_PER_KEY) {
      return -1;
    }
    valuesPerKey.put(key, seen + 1);
    int newId = add(value);
    strings.put(value, newId);
    return newId;
  }

  /** The number of a resource's attribute list, or -1 if the dictionary is full. */
  int resource(List<Attribute> attributes) {
    Integer id = resources.get(attributes);
    if (id != null) {
      return id;
    }
    if (size >= maxEntries) {
      return -1;
    }
    int newId = add(attributes);
    resources.put(attributes, newId);
    return newId;
  }

  boolean hasRoom() {
    return size < maxEntries;
  }

  /** Adds a shape made with the next number as its id. */
  void add(Shape shape) {
    if (shape.id != size) {
      throw new IllegalStateException("shape " + shape.id + " is not the next entry " + size);
    }
    add((Object) shape);
  }

  /** A shape entry, for readers. */
  Shape shapeAt(int id) {
    if (get(id) instanceof Shape shape) {
      return shape;
    }
    throw new StoreException("stored data is corrupt: dictionary entry " + id + " is no shape");
  }

  /** A string entry, for readers. */
  String stringAt(int id) {
    if (get(id) instanceof String value) {
      return value;
    }
    throw new StoreException("stored data is corrupt: dictionary entry " + id + " is no string");
  }

  /** A resource entry, for readers. */
  @SuppressWarnings("unchecked")
  List<Attribute> resourceAt(int id) {
    if (get(id) instanceof List<?> value) {
      return (List<Attribute>) value;
    }
    throw new StoreException("stored data is corrupt: dictionary entry " + id + " is no resource");
  }

  private Object get(int id) {
    if (id < 0 || id >= size) {
      throw new StoreException("stored data is corrupt: no dictionary entry " + id);
    }
    Object[][] current = pages;
    return current[id >>> PAGE_BITS][id & (PAGE_SIZE - 1)];
  }

  /** Entries added since the last call, to be written with the spans that use them. */
  List<Integer> drainAdded() {
    List<Integer> ids = new ArrayList<>(added);
    added.clear();
    return ids;
  }

  /** The stored form of an entry: a type byte, then the string or the attribute list. */
  byte[] encode(int id) {
    Object entry = get(id);
    ByteWriter out = new ByteWriter(32);
    if (entry instanceof String value) {
      out.u8(TYPE_STRING);
      out.string(value);
    } else if (entry instanceof Shape shape) {
      out.u8(TYPE_SHAPE);
      shape.write(out);
    } else {
      out.u8(TYPE_RESOURCE);
      @SuppressWarnings("unchecked")
      List<Attribute> attributes = (List<Attribute>) entry;
      ChunkCodec.writeInlineAttributes(out, attributes);
    }
    return out.toByteArray();
  }

  /** Puts back an entry read at open; ids come in order from 0. Returns the entry. */
  Object load(int id, byte[] stored) {
    if (id != size) {
      throw new StoreException("stored data is corrupt: dictionary entry " + id + " out of order");
    }
    ByteReader in = new ByteReader(stored);
    int type = in.u8();
    if (type == TYPE_STRING) {
      String value = in.string();
      strings.putIfAbsent(value, add(value));
    } else if (type == TYPE_RESOURCE) {
      List<Attribute> attributes = ChunkCodec.readInlineAttributes(in);
      resources.putIfAbsent(attributes, add(attributes));
    } else if (type == TYPE_SHAPE) {
      add(Shape.read(id, in));
    } else {
      throw new StoreException("stored data is corrupt: dictionary entry of type " + type);
    }
    added.clear();
    return get(id);
  }

  private int add(Object entry) {
    if (size >= 1 << 24) {
      throw new IllegalStateException("the dictionary holds at most 2^24 entries");
    }
    int id = size;
    int page = id >>> PAGE_BITS;
    Object[][] current = pages;
    if (page >= current.length) {
      current = java.util.Arrays.copyOf(current, current.length * 2);
    }
    if (current[page] == null) {
      current[page] = new Object[PAGE_SIZE];
    }
    current[page][id & (PAGE_SIZE - 1)] = entry;
    pages = current;
    // Published last: a reader that sees the size sees the entry.
    size = id + 1;
    added.add(id);
    return id;
  }
}
