package dev.cltbench.clients;

import java.io.Serializable;

/** One model call to make: what it is for (stage), which model or judge, the system prompt and user text. */
public record Call(String stage, String model, String system, String user) implements Serializable {}
