package dev.cltbench.stats;

import java.nio.charset.StandardCharsets;

/**
 * Per-scope random seeds: the study's base seed mixed with a stable hash of the scope's name, so each
 * bootstrap draws the same numbers whichever worker computes it and in whatever order.
 */
public final class Seeds {
  private Seeds() {}

  public static long forScope(long base, String scope) {
    long h = 0xcbf29ce484222325L; // FNV-1a 64
    for (byte b : scope.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return base ^ h;
  }
}
