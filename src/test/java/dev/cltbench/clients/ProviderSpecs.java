package dev.cltbench.clients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The providers' request schemas (../shared/provider-specs, as {@link SpecConformanceTest} loads them)
 * for tests outside this package: what a request breaks, by protocol.
 */
public final class ProviderSpecs {
  private ProviderSpecs() {}

  /**
   * The problems of {@code body} against the request schema of {@code protocol} (openai, anthropic,
   * gemini, cohere); empty when it conforms. Fields a spec copy predates are checked apart and taken out
   * first, as in {@link StructuredAndReasoningConformanceTest}.
   */
  public static List<String> requestProblems(String protocol, JsonNode body) throws IOException {
    SpecConformanceTest.Operation op = switch (protocol) {
      case "anthropic" -> SpecConformanceTest.load("anthropic-messages.inline.json", SpecVersion.VersionFlag.V202012);
      case "gemini" -> SpecConformanceTest.load("gemini-generate.inline.json", SpecVersion.VersionFlag.V4);
      case "cohere" -> SpecConformanceTest.load("cohere-chat.inline.json", SpecVersion.VersionFlag.V202012);
      default -> SpecConformanceTest.load("openai-chat.inline.json", SpecVersion.VersionFlag.V202012);
    };
    ObjectNode b = body.deepCopy();
    List<String> out = new ArrayList<>();
    JsonNode schema = b.path("generationConfig").get("responseSchema");
    if (schema instanceof ObjectNode s) {
      // The Oct 2024 Gemini copy predates these (see StructuredAndReasoningConformanceTest).
      s.remove("propertyOrdering");
      s.path("properties").forEach(p -> {
        ((ObjectNode) p).remove("minimum");
        ((ObjectNode) p).remove("maximum");
      });
    }
    if (protocol.equals("cohere") && b.has("response_format")) {
      try {
        StructuredAndReasoningConformanceTest.cohereFormatByDiscriminator(b); // checks it, takes it out
      } catch (AssertionError e) {
        out.add(e.getMessage());
      }
    }
    Set<ValidationMessage> errors = op.request().validate(b);
    errors.forEach(e -> out.add(e.toString()));
    return out;
  }
}
