package dev.cltbench.clients;

import java.io.Serializable;

/**
 * One model call to make: what it is for (stage), which model or judge, the system prompt and user
 * text, and the epoch (the repeat of the tuple it is made for; 0 for the first, and for judges); the
 * schema its reply is constrained to, or null.
 */
public record Call(String stage, String model, String system, String user, int epoch, ResponseSchema schema)
    implements Serializable {
  public Call(String stage, String model, String system, String user, int epoch) {
    this(stage, model, system, user, epoch, null);
  }

  public Call(String stage, String model, String system, String user) {
    this(stage, model, system, user, 0);
  }

  /** This call with its reply constrained to {@code s} (a structured judge's verdict). */
  public Call withSchema(ResponseSchema s) {
    return new Call(stage, model, system, user, epoch, s);
  }
}
