package dev.skein.server.query;

/** Recognizes IP address literals without resolving anything (InetAddress would look names up). */
final class IpLiterals {
  private IpLiterals() {}

  /** Four decimal octets, 0 to 255, without leading zeros. */
  static boolean isIpv4(String text) {
    int octets = 0;
    int i = 0;
    while (octets < 4) {
      int start = i;
      int value = 0;
      while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
        value = value * 10 + (text.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return false;
      }
      octets++;
      if (octets < 4) {
        if (i >= text.length() || text.charAt(i) != '.') {
          return false;
        }
        i++;
      }
    }
    return i == text.length();
  }

  /**
   * The address if it looks like an IPv6 literal (hex groups and colons, optionally in brackets,
   * with an IPv4 tail); null otherwise. A zone ({@code %eth0}) is dropped.
   */
  static String ipv6OrNull(String text) {
    String address = text;
    if (address.startsWith("[") && address.endsWith("]")) {
      address = address.substring(1, address.length() - 1);
    }
    int zone = address.indexOf('%');
    if (zone >= 0) {
      address = address.substring(0, zone);
    }
    if (address.length() < 2 || address.length() > 45 || address.indexOf(':') < 0) {
      return null;
    }
    int colons = 0;
    int lastColon = -1;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c == ':') {
        colons++;
        lastColon = i;
      } else if (Character.digit(c, 16) < 0 || c > 'f') {
        if (c != '.') {
          return null;
        }
      }
    }
    String tail = address.substring(lastColon + 1);
    if (tail.indexOf('.') >= 0 && !isIpv4(tail)) {
      return null;
    }
    if (address.substring(0, lastColon).indexOf('.') >= 0) {
      return null;
    }
    return colons >= 2 && colons <= 7 ? address : null;
  }
}
