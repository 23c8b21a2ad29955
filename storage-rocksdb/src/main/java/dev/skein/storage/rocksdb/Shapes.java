package dev.skein.storage.rocksdb;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the shape of each span written (one writer), and lists shapes per service (any reader).
 *
 * <p>An attribute is a constant of its operation's shape while the operation has shown at most
 * {@link #VALUES_PER_KEY} values for its key; past that the key varies, and spans carry its value.
 * An operation with many shapes has its keys of more than one value turned variable.
 *
 * <p>Finding a shape must cost little: the strings of a decoded span are new objects whose hash
 * codes are not computed yet, and hashing is a slow serial loop while comparing is fast. So a span
 * is matched by comparison against what its operation has shown (its last keys, its few constant
 * values, its recent resources and scopes), which yields small numbers; the shape is then found by
 * those numbers.
 */
final class Shapes {
  static final int VALUES_PER_KEY = 8;
  static final int SHAPES_PER_OPERATION = 64;
  static final int MAX_CONSTANT_LENGTH = 256;

  /**
   * Operations given shapes at most; spans of further ones are stored in full. Guards memory when
   * span names carry ids and every span names a new operation.
   */
  static final int MAX_OPERATIONS = 50_000;

  private static final int RECENT = 4;

  private final Dictionary dictionary;

  // Writer only.
  private final HashMap<String, HashMap<String, OperationShapes>> operations = new HashMap<>();
  private final HashMap<List<Attribute>, Integer> resourceNumbers = new HashMap<>();
  private final HashMap<List<String>, Integer> scopeNumbers = new HashMap<>();
  private int nextKeyNumber = 1;
  private int operationCount;
  private int[] tuple = new int[64];
  private KeyValues[] slotKeys = new KeyValues[16];
  private int[] slotValues = new int[16];

  // Readers.
  private final ConcurrentHashMap<String, List<Shape>> byService = new ConcurrentHashMap<>();

  Shapes(Dictionary dictionary) {
    this.dictionary = dictionary;
  }

  /** Values one key has shown in one operation, until it has shown too many. */
  private static final class KeyValues {
    final int number;
    final String key;
    final Object[] values = new Object[VALUES_PER_KEY];
    int size;
    boolean variable;

    KeyValues(int number, String key) {
      this.number = number;
      this.key = key;
    }

    /** The value's index among the constants, or -1 if the key varies (now or from now on). */
    int constantIndex(Object value) {
      if (variable) {
        return -1;
      }
      if (value instanceof Double
          || value instanceof List
          || (value instanceof String text && text.length() > MAX_CONSTANT_LENGTH)) {
        return -1;
      }
      for (int i = 0; i < size; i++) {
        if (values[i].equals(value)) {
          return i;
        }
      }
      if (size < VALUES_PER_KEY) {
        values[size] = value;
        return size++;
      }
      makeVariable();
      return -1;
    }

    void makeVariable() {
      variable = true;
      Arrays.fill(values, null);
      size = 0;
    }
  }

  private final class OperationShapes {
    final HashMap<String, KeyValues> keys = new HashMap<>(16);
    final LongMap<List<Shape>> byTuple = new LongMap<>();
    final HashMap<Shape, int[]> tuples = new HashMap<>(4);
    String[] lastKeys = new String[0];
    KeyValues[] lastKeyValues = new KeyValues[0];
    final List<Attribute>[] recentResources = newListArray();
    final int[] recentResourceNumbers = new int[RECENT];
    final String[] recentScopeNames = new String[RECENT];
    final String[] recentScopeVersions = new String[RECENT];
    final int[] recentScopeNumbers = new int[RECENT];
    int count;

    KeyValues key(String key) {
      KeyValues values = keys.get(key);
      if (values == null) {
        values = new KeyValues(nextKeyNumber++, key);
        keys.put(key, values);
      }
      return values;
    }

    /** The key's values, found by comparing with the keys of the span before when they match. */
    KeyValues key(int index, String key) {
      if (index < lastKeys.length && lastKeys[index].equals(key)) {
        return lastKeyValues[index];
      }
      KeyValues values = key(key);
      if (index >= lastKeys.length) {
        lastKeys = Arrays.copyOf(lastKeys, index + 1);
        lastKeyValues = Arrays.copyOf(lastKeyValues, index + 1);
      }
      lastKeys[index] = values.key;
      lastKeyValues[index] = values;
      return values;
    }

    int resourceNumber(List<Attribute> resource) {
      for (int i = 0; i < RECENT; i++) {
        if (recentResources[i] != null && recentResources[i].equals(resource)) {
          return recentResourceNumbers[i];
        }
      }
      int number = resourceNumbers.computeIfAbsent(resource, r -> resourceNumbers.size());
      System.arraycopy(recentResources, 0, recentResources, 1, RECENT - 1);
      System.arraycopy(recentResourceNumbers, 0, recentResourceNumbers, 1, RECENT - 1);
      recentResources[0] = resource;
      recentResourceNumbers[0] = number;
      return number;
    }

    int scopeNumber(String name, String version) {
      for (int i = 0; i < RECENT; i++) {
        if (recentScopeNames[i] != null
            && recentScopeNames[i].equals(name)
            && recentScopeVersions[i].equals(version)) {
          return recentScopeNumbers[i];
        }
      }
      int number = scopeNumbers.computeIfAbsent(List.of(name, version), s -> scopeNumbers.size());
      System.arraycopy(recentScopeNames, 0, recentScopeNames, 1, RECENT - 1);
      System.arraycopy(recentScopeVersions, 0, recentScopeVersions, 1, RECENT - 1);
      System.arraycopy(recentScopeNumbers, 0, recentScopeNumbers, 1, RECENT - 1);
      recentScopeNames[0] = name;
      recentScopeVersions[0] = version;
      recentScopeNumbers[0] = number;
      return number;
    }

    Shape find(int[] tuple, int length) {
      List<Shape> candidates = byTuple.get(hash(tuple, length));
      if (candidates != null) {
        for (Shape shape : candidates) {
          int[] known = tuples.get(shape);
          if (Arrays.equals(known, 0, known.length, tuple, 0, length)) {
            return shape;
          }
        }
      }
      return null;
    }

    void add(Shape shape, int[] tuple, int length) {
      long hash = hash(tuple, length);
      List<Shape> candidates = byTuple.get(hash);
      if (candidates == null) {
        candidates = new ArrayList<>(1);
        byTuple.put(hash, candidates);
      }
      candidates.add(shape);
      tuples.put(shape, Arrays.copyOf(tuple, length));
      count++;
    }

    void makeManyValuedKeysVariable() {
      for (KeyValues values : keys.values()) {
        if (values.size > 1) {
          values.makeVariable();
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Attribute>[] newListArray() {
    return (List<Attribute>[]) new List<?>[RECENT];
  }

  private OperationShapes operation(String service, String name) {
    HashMap<String, OperationShapes> names = operations.get(service);
    if (names == null) {
      names = new HashMap<>();
      operations.put(service, names);
    }
    OperationShapes operation = names.get(name);
    if (operation == null) {
      if (operationCount >= MAX_OPERATIONS) {
        return null;
      }
      operation = new OperationShapes();
      names.put(name, operation);
      operationCount++;
    }
    return operation;
  }

  /** The span's shape, made if it is new; null if the dictionary is full. */
  Shape shapeOf(Span span) {
    OperationShapes operation = operation(span.service(), span.name());
    if (operation == null) {
      return null;
    }
    int length = classify(span, operation);
    Shape shape = operation.find(tuple, length);
    if (shape != null) {
      return shape;
    }
    if (operation.count >= SHAPES_PER_OPERATION) {
      operation.makeManyValuedKeysVariable();
      length = classify(span, operation);
      shape = operation.find(tuple, length);
      if (shape != null) {
        return shape;
      }
    }
    if (!dictionary.hasRoom()) {
      return null;
    }
    List<Attribute> attributes = span.attributes();
    String[] keys = new String[attributes.size()];
    Attribute[] constants = new Attribute[attributes.size()];
    byte[] types = new byte[attributes.size()];
    for (int i = 0; i < keys.length; i++) {
      Attribute attribute = attributes.get(i);
      keys[i] = slotKeys[i].key;
      if (slotValues[i] >= 0) {
        constants[i] = new Attribute(keys[i], attribute.value());
      } else {
        types[i] = (byte) Shape.typeOf(attribute.value());
      }
    }
    shape =
        new Shape(
            dictionary.size(),
            span.service(),
            span.name(),
            span.kind(),
            span.status(),
            span.flags(),
            span.scopeName(),
            span.scopeVersion(),
            span.resource(),
            keys,
            constants,
            types);
    dictionary.add(shape);
    operation.add(shape, tuple, length);
    publish(shape);
    return shape;
  }

  /**
   * Writes the span's numbers into {@link #tuple}: kind, status, flags, scope, resource, then per
   * attribute its key's number and its constant's index or its variable type. Returns the length.
   */
  private int classify(Span span, OperationShapes operation) {
    List<Attribute> attributes = span.attributes();
    int count = attributes.size();
    if (tuple.length < 5 + 2 * count) {
      tuple = new int[Math.max(5 + 2 * count, tuple.length * 2)];
    }
    if (slotKeys.length < count) {
      slotKeys = new KeyValues[Math.max(count, slotKeys.length * 2)];
      slotValues = new int[slotKeys.length];
    }
    tuple[0] = span.kind().ordinal() | span.status().ordinal() << 8;
    tuple[1] = span.flags();
    tuple[2] = operation.scopeNumber(span.scopeName(), span.scopeVersion());
    tuple[3] = operation.resourceNumber(span.resource());
    tuple[4] = count;
    for (int i = 0; i < count; i++) {
      Attribute attribute = attributes.get(i);
      KeyValues values = operation.key(i, attribute.key());
      int index = values.constantIndex(attribute.value());
      slotKeys[i] = values;
      slotValues[i] = index;
      tuple[5 + 2 * i] = values.number;
      tuple[6 + 2 * i] = index >= 0 ? index : -Shape.typeOf(attribute.value());
    }
    return 5 + 2 * count;
  }

  private static long hash(int[] tuple, int length) {
    long h = length;
    for (int i = 0; i < length; i++) {
      h = (h + tuple[i]) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 31;
    }
    return h;
  }

  /** Takes in a shape read back from the dictionary at open. */
  void load(Shape shape) {
    publish(shape);
    OperationShapes operation = operation(shape.service, shape.name);
    if (operation == null) {
      return;
    }
    int count = shape.keys.length;
    int[] numbers = new int[5 + 2 * count];
    numbers[0] = shape.kind.ordinal() | shape.status.ordinal() << 8;
    numbers[1] = shape.flags;
    numbers[2] = operation.scopeNumber(shape.scopeName, shape.scopeVersion);
    numbers[3] = operation.resourceNumber(shape.resource);
    numbers[4] = count;
    boolean findable = true;
    for (int i = 0; i < count; i++) {
      KeyValues values = operation.key(shape.keys[i]);
      int index;
      if (shape.constants[i] != null) {
        index = values.constantIndex(shape.constants[i].value());
        findable &= index >= 0;
      } else {
        if (shape.types[i] == Shape.VARIABLE_STRING || shape.types[i] == Shape.VARIABLE_LONG) {
          // The key varied when the shape was made: it still does.
          values.makeVariable();
        }
        index = -shape.types[i];
      }
      numbers[5 + 2 * i] = values.number;
      numbers[6 + 2 * i] = index;
    }
    if (findable) {
      operation.add(shape, numbers, numbers.length);
    } else {
      operation.count++;
    }
  }

  private void publish(Shape shape) {
    byService.compute(
        shape.service,
        (service, shapes) -> {
          List<Shape> more = shapes == null ? new ArrayList<>() : new ArrayList<>(shapes);
          more.add(shape);
          return List.copyOf(more);
        });
  }

  /** The shapes of a service, for readers. */
  List<Shape> of(String service) {
    return byService.getOrDefault(service, List.of());
  }

  Map<String, List<Shape>> all() {
    return byService;
  }
}
