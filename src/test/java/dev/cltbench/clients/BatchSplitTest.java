package dev.cltbench.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batches are cut within the provider's limits: never more requests or bytes than allowed (an item
 * alone over the byte limit goes alone), every item once, in order.
 */
class BatchSplitTest {
  /** Generated cases (no property-testing library in this build): 300 seeded draws, edges included. */
  @Test
  void batchesStayWithinTheLimitsAndKeepEveryItemInOrder() {
    Random r = new Random(24);
    check(0, 1, 20, 0);
    check(1, 1, 20, 400);
    check(300, 40, 5000, 0);
    for (int i = 0; i < 300; i++) {
      check(r.nextInt(301), 1 + r.nextInt(40), 20 + r.nextInt(4981), r.nextInt(401));
    }
  }

  private static void check(int n, int maxRequests, int maxBytes, int textLength) {
    List<ObjectNode> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(WireProtocol.MAPPER.createObjectNode().put("custom_id", "id" + i)
          .put("text", "<&\"'".repeat(i % 7) + "x".repeat((textLength * (i + 1)) % 401)));
    }
    List<List<ObjectNode>> batches = BatchWire.split(items, maxRequests, maxBytes);
    List<ObjectNode> again = new ArrayList<>();
    for (List<ObjectNode> b : batches) {
      assertTrue(!b.isEmpty() && b.size() <= maxRequests);
      long bytes = b.stream().mapToLong(BatchWire::bytes).sum();
      assertTrue(bytes <= maxBytes || b.size() == 1, "over the byte limit: " + bytes);
      again.addAll(b);
    }
    assertEquals(items, again);
  }
}
