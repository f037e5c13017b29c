package dev.cltbench.report;

import java.util.Map;

/** Receives the finished tables on a worker (for example, writes them as files). */
public interface TableSink extends java.io.Serializable {
  void accept(Map<String, Table> tables) throws Exception;
}
