package dev.skein.exporter.otlp.grpc;

import dev.skein.exporter.Attempt;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Run in a child JVM by {@link DaemonThreadsTest}: sends once and returns from {@code main} without
 * closing the transport. The JVM exits only if every thread the channel started is a daemon.
 */
final class ExitWithoutClose {

  private ExitWithoutClose() {}

  public static void main(String[] args) throws Exception {
    GrpcTransport transport = GrpcTransport.builder(URI.create(args[0])).build();
    Attempt attempt = transport.send(new byte[0]).get(60, TimeUnit.SECONDS);
    System.out.println(attempt.getClass().getSimpleName());
  }
}
