package dev.skein.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON text of a request: protobuf-java-util's proto3 JSON, then ids turned from base64 into
 * hex as OTLP/JSON requires.
 */
final class OtlpJsonText {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> ID_FIELDS =
      Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");

  private OtlpJsonText() {}

  static byte[] of(ExportTraceServiceRequest request, boolean enumsAsInts, boolean protoNames) {
    JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    if (enumsAsInts) {
      printer = printer.printingEnumsAsInts();
    }
    if (protoNames) {
      printer = printer.preservingProtoFieldNames();
    }
    try {
      JsonNode tree = MAPPER.readTree(printer.print(request));
      hexIds(tree);
      return MAPPER.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hexIds(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      object.fields().forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> field : fields) {
        if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
          byte[] id = Base64.getDecoder().decode(field.getValue().asText());
          object.set(field.getKey(), TextNode.valueOf(HexFormat.of().formatHex(id)));
        } else {
          hexIds(field.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(OtlpJsonText::hexIds);
    }
  }
}
