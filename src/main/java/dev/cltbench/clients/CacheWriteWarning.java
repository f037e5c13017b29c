package dev.cltbench.clients;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An answer that was paid for is kept when the response cache cannot store it (disk full, permissions
 * changed mid-run): the cache saves money on a rerun, the answer is the run's. Says so once per JVM on
 * stderr (a worker's log on a cluster), with the first error; the count is for the summary and tests.
 */
final class CacheWriteWarning {
  private static final AtomicLong FAILED = new AtomicLong();

  private CacheWriteWarning() {}

  static void failed(String cacheDirectory, IOException e) {
    if (FAILED.getAndIncrement() == 0) {
      System.err.println("warning: the response cache " + cacheDirectory + " cannot store answers ("
          + e.getMessage() + "); they are kept in the output, and a rerun will ask again");
    }
  }

  /** Answers not cached so far in this JVM. */
  static long count() {
    return FAILED.get();
  }
}
