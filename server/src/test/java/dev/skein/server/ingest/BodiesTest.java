package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodiesTest {

  @Test
  void gunzip_returnsTheBody_andJoinsConcatenatedMembers() throws Exception {
    byte[] one = gzip("hello, ");
    byte[] two = gzip("world");
    byte[] both = new byte[one.length + two.length];
    System.arraycopy(one, 0, both, 0, one.length);
    System.arraycopy(two, 0, both, one.length, two.length);
    assertThat(new String(Bodies.gunzip(both, 0, both.length, 100), StandardCharsets.UTF_8))
        .isEqualTo("hello, world");
  }

  @Test
  void gunzip_atTheLimit_isFine_andOneByteMoreIsTooLarge() throws Exception {
    byte[] ten = gzip("0123456789");
    assertThat(Bodies.gunzip(ten, 0, ten.length, 10)).hasSize(10);
    assertThatThrownBy(() -> Bodies.gunzip(ten, 0, ten.length, 9))
        .isInstanceOf(Bodies.TooLargeException.class)
        .hasMessage("decompressed body is larger than 9 bytes");
  }

  @Test
  void gzipBomb_stopsSoonAfterTheLimit_readingLittleOfIt() {
    byte[] bomb = GzipBomb.bytes();
    CountingStream compressed = new CountingStream(new ByteArrayInputStream(bomb));
    assertThatThrownBy(() -> Bodies.gunzip(compressed, 64L << 20, 8192))
        .isInstanceOf(Bodies.TooLargeException.class);
    // 64 MiB of its 1 GiB inflate from about a sixteenth of the compressed bytes.
    assertThat(compressed.read).isLessThan(bomb.length / 8);
  }

  @Test
  void notGzip_isMalformed() throws IOException {
    byte[] text = "plain text, not gzip".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Bodies.gunzip(text, 0, text.length, 1000))
        .isInstanceOf(MalformedRequestException.class)
        .hasMessageStartingWith("body is not valid gzip");
    byte[] truncated = java.util.Arrays.copyOf(gzip("some longer text to cut"), 15);
    assertThatThrownBy(() -> Bodies.gunzip(truncated, 0, truncated.length, 1000))
        .isInstanceOf(MalformedRequestException.class);
  }

  static byte[] gzip(String text) throws IOException {
    return gzip(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    }
    return out.toByteArray();
  }

  private static final class CountingStream extends InputStream {
    private final InputStream in;
    long read;

    CountingStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      read += b < 0 ? 0 : 1;
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      read += Math.max(n, 0);
      return n;
    }
  }
}
