package dev.cltbench.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cltbench.clients.ResponseSchema;
import dev.cltbench.study.PipelineDefinition;

/**
 * The rubric as the JSON schema a structured judge's reply is held to: one integer per criterion with
 * its min..max, and {@code notes}, all required, nothing else (what {@link JudgmentParser} accepts;
 * OpenAI's strict mode wants every property required and additionalProperties false). The parser still
 * checks every reply: a provider that ignores the schema is caught there.
 */
public final class RubricSchema {
  /** The schema's (and Anthropic's forced tool's) name. */
  public static final String NAME = "verdict";

  private RubricSchema() {}

  public static ResponseSchema of(PipelineDefinition.Rubric rubric) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode schema = mapper.createObjectNode().put("type", "object");
    ObjectNode props = schema.putObject("properties");
    var required = mapper.createArrayNode();
    for (PipelineDefinition.Criterion c : rubric.criteria()) {
      props.putObject(c.name()).put("type", "integer").put("minimum", c.min()).put("maximum", c.max())
          .put("description", c.name() + ", an integer from " + c.min() + " to " + c.max());
      required.add(c.name());
    }
    props.putObject("notes").put("type", "string").put("description", "why, in one or two sentences");
    required.add("notes");
    schema.set("required", required);
    schema.put("additionalProperties", false);
    return new ResponseSchema(NAME, "The grade of the answer on each rubric criterion, and notes.",
        schema.toString());
  }
}
