package dev.cltbench.stats;

/** Placeholder: the stats branch brings the real implementation with the same signatures. */
public final class Agreement {
  public enum Metric { NOMINAL, ORDINAL, INTERVAL }

  private Agreement() {}

  public static double quadraticWeightedKappa(int[] a, int[] b, int min, int max) {
    throw new UnsupportedOperationException("stats branch not merged");
  }

  public static double krippendorffAlpha(double[][] ratings, Metric metric) {
    throw new UnsupportedOperationException("stats branch not merged");
  }
}
