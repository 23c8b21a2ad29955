package dev.skein.exporter.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipkinMappingTest {

  @ParameterizedTest
  @ValueSource(strings = {"10.1.2.3", "0.0.0.0", "255.255.255.255", " 192.168.0.1 "})
  void readsIpv4Literals(String text) {
    assertThat(ZipkinMapping.ipLiteral(text))
        .isInstanceOf(Inet4Address.class)
        .extracting(address -> address.getHostAddress())
        .isEqualTo(text.strip());
  }

  @ParameterizedTest
  @ValueSource(strings = {"::1", "2001:db8::1", "fe80:0:0:0:0:0:0:1", "::ffff:1.2.3.4"})
  void readsIpv6Literals(String text) {
    // An IPv4-mapped address is the IPv4 address, as Zipkin would store it.
    assertThat(ZipkinMapping.ipLiteral(text))
        .isInstanceOfAny(text.contains(".") ? Inet4Address.class : Inet6Address.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "db.internal",
        "abc",
        "cafe.example",
        "256.1.1.1",
        "1.2.3",
        "1.2.3.4.5",
        "1..2.3",
        "1.2.3.",
        "-1.2.3.4",
        "fe80::1%eth0",
        "g::1",
        ".::1",
        "2001:db8:::1",
        "[::1]"
      })
  void anythingElseIsNotAnAddress(String text) {
    assertThat(ZipkinMapping.ipLiteral(text)).isNull();
  }
}
