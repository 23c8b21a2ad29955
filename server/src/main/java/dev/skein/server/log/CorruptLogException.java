package dev.skein.server.log;

import java.io.IOException;
import java.nio.file.Path;

/** A stored record that fails its length or checksum check, named by file and byte position. */
public final class CorruptLogException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long position;

  CorruptLogException(Path file, long position, String reason) {
    super("corrupt ingest log segment " + file + " at byte " + position + ": " + reason);
    this.file = file;
    this.position = position;
  }

  public Path file() {
    return file;
  }

  public long position() {
    return position;
  }
}
