package dev.cltbench.clients;

import java.io.Serializable;

/**
 * A JSON schema the reply must follow (a judge's verdict), sent with each provider's own mechanism
 * ({@link WireProtocol#structured}): {@code name} (letters, digits, _ and -, at most 64: OpenAI's and
 * Anthropic's rule for names), a {@code description}, and the schema as JSON text (standard JSON
 * Schema: object, integer with minimum and maximum, string, required, additionalProperties false).
 */
public record ResponseSchema(String name, String description, String schemaJson) implements Serializable {
  private static final long serialVersionUID = 1L;

  public ResponseSchema {
    if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("schema name must match [a-zA-Z0-9_-]{1,64}, was " + name);
    }
  }
}
