package dev.skein.server.ingest;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.net.InetSocketAddress;

/** An Armeria server on 127.0.0.1 with every receiver on one port the OS picks. */
final class TestServer implements AutoCloseable {
  final Receivers receivers;
  final Server server;

  TestServer(SpanSink sink, ReceiverSettings settings) {
    receivers = new Receivers(sink, settings);
    ServerBuilder builder =
        Server.builder().port(new InetSocketAddress("127.0.0.1", 0), SessionProtocol.HTTP);
    builder.service(receivers.otlpGrpcService());
    builder.service(Receivers.OTLP_HTTP_PATH, receivers.otlpHttpService());
    builder.route().post(Receivers.ZIPKIN_PATH).build(receivers.zipkinService());
    server = builder.build();
    server.start().join();
  }

  String uri() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
