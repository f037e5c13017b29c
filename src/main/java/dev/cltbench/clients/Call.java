package dev.cltbench.clients;

import java.io.Serializable;

/**
 * One model call to make: what it is for (stage), which model or judge, the system prompt and user
 * text, and the epoch (the repeat of the tuple it is made for; 0 for the first, and for judges).
 */
public record Call(String stage, String model, String system, String user, int epoch) implements Serializable {
  public Call(String stage, String model, String system, String user) {
    this(stage, model, system, user, 0);
  }
}
