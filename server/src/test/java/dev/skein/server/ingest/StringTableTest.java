package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StringTableTest {

  @Test
  void repeatedText_isOneInstance_andLongTextIsNotKept() {
    StringTable table = new StringTable(16);
    byte[] request = "xx service.name yy service.name".getBytes(StandardCharsets.UTF_8);
    String first = table.utf8(request, 3, 12);
    String second = table.utf8(request, 19, 12);
    assertThat(first).isEqualTo("service.name").isSameAs(second);
    byte[] longer = "a key longer than sixteen bytes".getBytes(StandardCharsets.UTF_8);
    assertThat(table.utf8(longer, 0, longer.length))
        .isEqualTo("a key longer than sixteen bytes")
        .isNotSameAs(table.utf8(longer, 0, longer.length));
  }

  @Test
  void everyLookup_givesItsOwnText_whateverTheCollisions() {
    StringTable table = new StringTable(48);
    // Far more distinct strings than slots: each must still come back as itself.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 10_000; i++) {
        String text = "key-" + i + "-ü";
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertThat(table.utf8(utf8, 0, utf8.length)).isEqualTo(text);
        char[] chars = text.toCharArray();
        assertThat(table.chars(chars, 0, chars.length)).isEqualTo(text);
      }
    }
  }

  @Test
  void malformedText_isRepaired() {
    StringTable table = new StringTable(48);
    byte[] invalidUtf8 = {'a', (byte) 0xC3, 'b'};
    assertThat(table.utf8(invalidUtf8, 0, 3)).isEqualTo("a\uFFFDb");
    char[] loneSurrogates = {'x', '\uD800', 'y', '\uDC00'};
    assertThat(table.chars(loneSurrogates, 0, 4)).isEqualTo("x\uFFFDy\uFFFD");
    char[] pair = "a😀b".toCharArray();
    assertThat(table.chars(pair, 0, pair.length)).isEqualTo("a😀b");
    assertThat(StringTable.wellFormed("\uDBFF")).isEqualTo("\uFFFD");
  }
}
