package dev.cltbench.clients;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An answer that was paid for is kept when the response cache cannot store it (disk full, permissions
 * changed mid-run): the cache saves money on a rerun, the answer is the run's. Says so once per JVM on
 * stderr (a worker's log on a cluster), with the first error.
 */
final class CacheWriteWarning {
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private CacheWriteWarning() {}

  static void failed(String cacheDirectory, IOException e) {
    if (!WARNED.getAndSet(true)) {
      System.err.println("warning: the response cache " + cacheDirectory + " cannot store answers ("
          + e.getMessage() + "); they are kept in the output, and a rerun will ask again");
    }
  }
}
