package dev.skein.storage.rocksdb;

import dev.skein.storage.Attribute;
import dev.skein.storage.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What the spans of one operation have in common: service, name, kind, status, flags, scope,
 * resource, and the attribute keys in order, each with either its value (a constant: the
 * operation's spans take few values for it) or the type of a value each span carries itself. A span
 * is stored as its shape's dictionary number plus what varies; a search learns from shapes alone
 * which spans can match an operation, a resource attribute or a constant attribute.
 */
final class Shape {
  static final int VARIABLE_STRING = 1;
  static final int VARIABLE_LONG = 2;
  static final int VARIABLE_DOUBLE = 3;
  static final int VARIABLE_BOOLEAN = 4;
  static final int VARIABLE_LIST = 5;

  private static final Span.Kind[] KINDS = Span.Kind.values();
  private static final Span.Status[] STATUSES = Span.Status.values();

  final int id;
  final String service;
  final String name;
  final Span.Kind kind;
  final Span.Status status;
  final int flags;
  final String scopeName;
  final String scopeVersion;
  final List<Attribute> resource;
  final String[] keys;

  /** The attribute at each constant slot; null at a variable one. */
  final Attribute[] constants;

  /** The value type at each variable slot; 0 at a constant one. */
  final byte[] types;

  final int variables;

  /** Spans written with this shape (an estimate for planning searches). */
  volatile long count;

  /** Whether the writer has noted the shape's operation and constant values (writer only). */
  boolean noted;

  Shape(
      int id,
      String service,
      String name,
      Span.Kind kind,
      Span.Status status,
      int flags,
      String scopeName,
      String scopeVersion,
      List<Attribute> resource,
      String[] keys,
      Attribute[] constants,
      byte[] types) {
    this.id = id;
    this.service = service;
    this.name = name;
    this.kind = kind;
    this.status = status;
    this.flags = flags;
    this.scopeName = scopeName;
    this.scopeVersion = scopeVersion;
    this.resource = resource;
    this.keys = keys;
    this.constants = constants;
    this.types = types;
    int variableCount = 0;
    for (byte type : types) {
      if (type != 0) {
        variableCount++;
      }
    }
    this.variables = variableCount;
  }

  /** The value type of a variable slot for this value. */
  static int typeOf(Object value) {
    if (value instanceof String) {
      return VARIABLE_STRING;
    } else if (value instanceof Long) {
      return VARIABLE_LONG;
    } else if (value instanceof Double) {
      return VARIABLE_DOUBLE;
    } else if (value instanceof Boolean) {
      return VARIABLE_BOOLEAN;
    }
    return VARIABLE_LIST;
  }

  /**
   * Whether spans of this shape can have the tag: {@link #YES} for a constant or resource value
   * that is it, {@link #MAYBE} if a variable attribute has the key, else {@link #NO}.
   */
  int hasTag(String key, String value) {
    boolean variable = false;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        if (constants[i] == null) {
          variable = true;
        } else if (value == null || value.equals(constants[i].valueAsString())) {
          return YES;
        }
      }
    }
    for (Attribute attribute : resource) {
      if (attribute.key().equals(key)
          && (value == null || value.equals(attribute.valueAsString()))) {
        return YES;
      }
    }
    if (value != null && key.equals(Span.SERVICE_NAME) && value.equals(service)) {
      return YES;
    }
    return variable ? MAYBE : NO;
  }

  static final int NO = 0;
  static final int MAYBE = 1;
  static final int YES = 2;

  /** Starts a span with the shape's parts; the caller adds ids, times and variable values. */
  Span.Builder builder() {
    Span.Builder span =
        Span.builder().service(service).name(name).kind(kind).scope(scopeName, scopeVersion);
    span.flags(flags);
    for (Attribute attribute : resource) {
      span.addResourceAttribute(attribute);
    }
    return span;
  }

  void write(ByteWriter out) {
    out.string(service);
    out.string(name);
    out.u8(kind.ordinal());
    out.u8(status.ordinal());
    out.varint(flags & 0xFFFFFFFFL);
    out.string(scopeName);
    out.string(scopeVersion);
    ChunkCodec.writeInlineAttributes(out, resource);
    out.varint(keys.length);
    List<Attribute> constantList = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      out.string(keys[i]);
      out.u8(types[i]);
      if (constants[i] != null) {
        constantList.add(constants[i]);
      }
    }
    ChunkCodec.writeInlineAttributes(out, constantList);
  }

  static Shape read(int id, ByteReader in) {
    String service = in.string();
    String name = in.string();
    int kind = in.u8();
    int status = in.u8();
    if (kind >= KINDS.length || status >= STATUSES.length) {
      throw ByteReader.corrupt("has a shape of unknown kind or status");
    }
    int flags = (int) in.varint();
    String scopeName = in.string();
    String scopeVersion = in.string();
    List<Attribute> resource = ChunkCodec.readInlineAttributes(in);
    int slots = in.intVarint();
    if (slots > in.remaining()) {
      throw ByteReader.corrupt("claims a shape of " + slots + " attributes");
    }
    String[] keys = new String[slots];
    byte[] types = new byte[slots];
    for (int i = 0; i < slots; i++) {
      keys[i] = in.string();
      types[i] = (byte) in.u8();
      if (types[i] > VARIABLE_LIST) {
        throw ByteReader.corrupt("has a shape slot of unknown type " + types[i]);
      }
    }
    List<Attribute> constantList = ChunkCodec.readInlineAttributes(in);
    Attribute[] constants = new Attribute[slots];
    int next = 0;
    for (int i = 0; i < slots; i++) {
      if (types[i] == 0) {
        if (next >= constantList.size() || !constantList.get(next).key().equals(keys[i])) {
          throw ByteReader.corrupt("has a shape whose constants do not fit its keys");
        }
        constants[i] = constantList.get(next++);
      }
    }
    return new Shape(
        id,
        service,
        name,
        KINDS[kind],
        STATUSES[status],
        flags,
        scopeName,
        scopeVersion,
        resource,
        keys,
        constants,
        types);
  }

  @Override
  public String toString() {
    return "Shape{"
        + id
        + " "
        + service
        + " "
        + name
        + " "
        + Arrays.toString(keys)
        + " "
        + Objects.hash((Object[]) constants)
        + "}";
  }
}
