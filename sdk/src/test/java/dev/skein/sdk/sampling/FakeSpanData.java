package dev.skein.sdk.sampling;

import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import dev.skein.sdk.SpanEvent;
import dev.skein.sdk.SpanLink;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;

/** An ended span with only what samplers read: name, parent and status. */
final class FakeSpanData implements SpanData {

  private final String name;
  private final long parentSpanId;
  private final boolean remoteParent;
  private final StatusCode status;

  private FakeSpanData(String name, long parentSpanId, boolean remoteParent, StatusCode status) {
    this.name = name;
    this.parentSpanId = parentSpanId;
    this.remoteParent = remoteParent;
    this.status = status;
  }

  static FakeSpanData root(String name, StatusCode status) {
    return new FakeSpanData(name, 0, false, status);
  }

  static FakeSpanData remoteChild(String name, StatusCode status) {
    return new FakeSpanData(name, 42, true, status);
  }

  static FakeSpanData localChild(String name, StatusCode status) {
    return new FakeSpanData(name, 42, false, status);
  }

  @Override
  public long traceIdHigh() {
    return 1;
  }

  @Override
  public long traceIdLow() {
    return 2;
  }

  @Override
  public long spanId() {
    return 3;
  }

  @Override
  public long parentSpanId() {
    return parentSpanId;
  }

  @Override
  public boolean hasRemoteParent() {
    return remoteParent;
  }

  @Override
  public SpanContext spanContext() {
    return SpanContext.getInvalid();
  }

  @Override
  public boolean isSampled() {
    return true;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SpanKind kind() {
    return SpanKind.INTERNAL;
  }

  @Override
  public InstrumentationScope scope() {
    return new InstrumentationScope("test", "", "");
  }

  @Override
  public Attributes resource() {
    return Attributes.empty();
  }

  @Override
  public long startEpochNanos() {
    return 1;
  }

  @Override
  public long endEpochNanos() {
    return 2;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int attributeCount() {
    return 0;
  }

  @Override
  public String attributeKey(int index) {
    throw new IndexOutOfBoundsException(index);
  }

  @Override
  public AttributeType attributeType(int index) {
    throw new IndexOutOfBoundsException(index);
  }

  @Override
  public Object attributeValue(int index) {
    throw new IndexOutOfBoundsException(index);
  }

  @Override
  public Attributes attributes() {
    return Attributes.empty();
  }

  @Override
  public List<SpanEvent> events() {
    return List.of();
  }

  @Override
  public List<SpanLink> links() {
    return List.of();
  }

  @Override
  public StatusCode statusCode() {
    return status;
  }

  @Override
  public String statusDescription() {
    return "";
  }

  @Override
  public int droppedAttributeCount() {
    return 0;
  }

  @Override
  public int droppedEventCount() {
    return 0;
  }

  @Override
  public int droppedLinkCount() {
    return 0;
  }
}
