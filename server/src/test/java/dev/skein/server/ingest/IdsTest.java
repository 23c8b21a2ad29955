package dev.skein.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void ipv6_isWrittenAsRfc5952Says() {
    assertThat(ipv6("00000000000000000000000000000000")).isEqualTo("::");
    assertThat(ipv6("00000000000000000000000000000001")).isEqualTo("::1");
    assertThat(ipv6("20010db8000000000000000000000001")).isEqualTo("2001:db8::1");
    assertThat(ipv6("20010db8000000010000000000000000")).isEqualTo("2001:db8:0:1::");
    // A lone zero group is not shortened; of two equal runs the first is.
    assertThat(ipv6("20010db8000000010001000100010001")).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(ipv6("20010000000000010000000000010001")).isEqualTo("2001::1:0:0:1:1");
    assertThat(ipv6("20010000000000010000000000000001")).isEqualTo("2001:0:0:1::1");
    assertThat(ipv6("fe80000000000000abcd00ef01230004")).isEqualTo("fe80::abcd:ef:123:4");
  }

  @Test
  void ipv4_isDottedDecimal() {
    assertThat(Ids.ipv4(new byte[] {10, 0, (byte) 255, 1}, 0)).isEqualTo("10.0.255.1");
  }

  @Test
  void hex_acceptsEitherCase() {
    char[] id = "00000000000000aBcD".toCharArray();
    assertThat(Ids.isHex(id, 2, 16)).isTrue();
    assertThat(Ids.hex(id, 2, 16)).isEqualTo(0xabcdL);
    assertThat(Ids.isHex("12g4".toCharArray(), 0, 4)).isFalse();
  }

  private static String ipv6(String hex) {
    return Ids.ipv6(HexFormat.of().parseHex(hex), 0);
  }
}
