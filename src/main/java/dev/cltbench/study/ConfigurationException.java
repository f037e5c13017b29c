package dev.cltbench.study;

import java.util.List;

/**
 * A configuration every call of some model or judge would fail on (a key that would go over plain
 * http, a missing base URL, no prices under a budget, an unknown provider): all of them, found before
 * any call, in one message.
 */
public final class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(List<String> problems) {
    super("the configuration cannot work, nothing was called: " + String.join("; ", problems));
  }
}
