package dev.skein.exporter.otlp;

import dev.skein.sdk.InstrumentationScope;
import dev.skein.sdk.SpanData;
import io.opentelemetry.api.common.Attributes;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * One batch's spans in the order OTLP nests them: grouped by resource, then by instrumentation
 * scope, each in the order first seen; within a group the spans keep their input order.
 *
 * <p>A group is one (resource, scope) pair. Resources compare by identity first, because every span
 * of an SDK shares one resource object, and by {@code equals} otherwise. The usual batch has a
 * single group, and then the input is read in place: nothing is allocated per span.
 */
final class SpanBatch {

  private final List<? extends SpanData> spans; // input order, or grouped when several groups

  private Attributes[] resources = new Attributes[1];
  private int resourceCount;

  // Groups in output order once built; groupStart has groupCount + 1 entries.
  private int[] groupResource = new int[1];
  private InstrumentationScope[] groupScope = new InstrumentationScope[1];
  private int[] groupStart;
  private int groupCount;

  private SpanBatch(Collection<? extends SpanData> input) {
    List<? extends SpanData> list =
        input instanceof List<? extends SpanData> l && input instanceof RandomAccess
            ? l
            : Arrays.asList(input.toArray(new SpanData[0]));
    int n = list.size();
    int[] groupOfSpan = null; // made once a second group shows up
    int[] groupSize = new int[1];
    Attributes lastResource = null;
    InstrumentationScope lastScope = null;
    int lastGroup = -1;
    for (int i = 0; i < n; i++) {
      SpanData span = list.get(i);
      Attributes resource = span.resource();
      InstrumentationScope scope = span.scope();
      int group;
      if (lastGroup >= 0 && resource == lastResource && scope == lastScope) {
        group = lastGroup;
      } else {
        group = groupOf(span, resource, scope);
        lastResource = resource;
        lastScope = scope;
        lastGroup = group;
        if (groupSize.length < groupCount) {
          groupSize = Arrays.copyOf(groupSize, groupScope.length);
        }
      }
      if (group > 0 && groupOfSpan == null) {
        groupOfSpan = new int[n]; // every span before this one was in group 0
      }
      if (groupOfSpan != null) {
        groupOfSpan[i] = group;
      }
      groupSize[group]++;
    }
    if (groupCount <= 1) {
      spans = list;
      groupStart = new int[] {0, n};
      return;
    }
    spans = Arrays.asList(sortByGroup(list, groupOfSpan, groupSize));
  }

  static SpanBatch of(Collection<? extends SpanData> spans) {
    return new SpanBatch(spans);
  }

  /**
   * Puts the groups in output order (by resource, then first seen) and the spans after them; a
   * counting sort, so linear in the batch.
   */
  private SpanData[] sortByGroup(
      List<? extends SpanData> list, int[] groupOfSpan, int[] groupSize) {
    int[] groupsPerResource = new int[resourceCount + 1];
    for (int g = 0; g < groupCount; g++) {
      groupsPerResource[groupResource[g] + 1]++;
    }
    for (int r = 0; r < resourceCount; r++) {
      groupsPerResource[r + 1] += groupsPerResource[r];
    }
    int[] position = new int[groupCount]; // group id -> output position
    for (int g = 0; g < groupCount; g++) {
      position[g] = groupsPerResource[groupResource[g]]++;
    }
    int[] sortedResource = new int[groupCount];
    InstrumentationScope[] sortedScope = new InstrumentationScope[groupCount];
    int[] sortedSize = new int[groupCount];
    for (int g = 0; g < groupCount; g++) {
      sortedResource[position[g]] = groupResource[g];
      sortedScope[position[g]] = groupScope[g];
      sortedSize[position[g]] = groupSize[g];
    }
    groupStart = new int[groupCount + 1];
    for (int p = 0; p < groupCount; p++) {
      groupStart[p + 1] = groupStart[p] + sortedSize[p];
    }
    int[] cursor = Arrays.copyOf(groupStart, groupCount);
    SpanData[] sorted = new SpanData[list.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[cursor[position[groupOfSpan[i]]]++] = list.get(i);
    }
    groupResource = sortedResource;
    groupScope = sortedScope;
    return sorted;
  }

  private int groupOf(SpanData span, Attributes resource, InstrumentationScope scope) {
    if (resource == null || scope == null) {
      throw new IllegalArgumentException(
          "span '" + span.name() + "' has no " + (resource == null ? "resource" : "scope"));
    }
    int r = resourceIndex(resource);
    for (int g = 0; g < groupCount; g++) {
      if (groupResource[g] == r && groupScope[g] == scope) {
        return g;
      }
    }
    for (int g = 0; g < groupCount; g++) {
      if (groupResource[g] == r && groupScope[g].equals(scope)) {
        return g;
      }
    }
    if (groupCount == groupScope.length) {
      groupResource = Arrays.copyOf(groupResource, groupCount * 2);
      groupScope = Arrays.copyOf(groupScope, groupCount * 2);
    }
    groupResource[groupCount] = r;
    groupScope[groupCount] = scope;
    return groupCount++;
  }

  private int resourceIndex(Attributes resource) {
    for (int r = 0; r < resourceCount; r++) {
      if (resources[r] == resource) {
        return r;
      }
    }
    for (int r = 0; r < resourceCount; r++) {
      if (resources[r].equals(resource)) {
        return r;
      }
    }
    if (resourceCount == resources.length) {
      resources = Arrays.copyOf(resources, resourceCount * 2);
    }
    resources[resourceCount] = resource;
    return resourceCount++;
  }

  /** The number of spans. */
  int size() {
    return spans.size();
  }

  /** The number of (resource, scope) groups; 0 for an empty batch. */
  int groupCount() {
    return groupCount;
  }

  /** An index identifying the group's resource; groups of one resource are adjacent. */
  int resourceIndex(int group) {
    return groupResource[group];
  }

  Attributes resource(int group) {
    return resources[groupResource[group]];
  }

  InstrumentationScope scope(int group) {
    return groupScope[group];
  }

  /** The index of the group's first span. */
  int start(int group) {
    return groupStart[group];
  }

  /** One past the index of the group's last span. */
  int end(int group) {
    return groupStart[group + 1];
  }

  SpanData span(int index) {
    return spans.get(index);
  }
}
